using System.Text.Json.Nodes;
using Doris.Testing;

namespace Doris.Kubernetes.Emulator.Tests;

/// <summary>
/// Port forwarding over a WebSocket (kubelet's <c>v4.channel.k8s.io</c>), driven by Debian's python3-kubernetes,
/// whose <c>portforward()</c> speaks it against real clusters. kubectl's SPDY path is tested in the sandbox.
/// </summary>
public sealed class PortForwardTests
{
    [Fact]
    public async Task PythonClient_PortForward_CarriesBytesBothWaysAndReportsAClosedPort()
    {
        using var echo = new EchoServer();
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = TestNamespaces.All }, TimeProvider.System, default);
        server.PortTargets = (ns, pod, port) => ns == "default" && pod == "pf" && port == 7000 ? echo.EndPoint : null;
        var dir = Directory.CreateTempSubdirectory("python-portforward-").FullName;
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, server.Kubeconfig());
        var script = Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Kubernetes.Emulator.Tests", "Clients", "python_portforward.py");

        var (code, output, error) = await Tool.RunAsync(Python.Executable, [script, kubeconfig, "7000", "7001"], TimeSpan.FromSeconds(60));

        code.ShouldBe(0, error);
        var result = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        ((bool)result["pending_refused"]!).ShouldBeTrue("a pod that is not Running cannot be forwarded to");
        ((string)result["answer"]!).ShouldBe("hello through the tunnel\n");
        ((bool)result["big_intact"]!).ShouldBeTrue("256 KiB echoed byte for byte");
        ((string)result["closed_error"]!).ShouldContain("error forwarding port 7001 to pod pf");
    }
}
