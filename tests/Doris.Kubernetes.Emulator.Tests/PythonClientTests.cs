using System.Text.Json.Nodes;
using Doris.Testing;

namespace Doris.Kubernetes.Emulator.Tests;

/// <summary>
/// Debian's <c>python3-kubernetes</c> (a CI prerequisite, installed by .ci/run) against the emulator over HTTPS with
/// the emulator's kubeconfig: the script in <c>Clients/python_client.py</c> does what a user's tool would.
/// </summary>
public sealed class PythonClientTests
{
    [Fact]
    public async Task PythonClient_DryRunWatchAndSelectors_BehaveAsOnARealServer()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All }, TimeProvider.System, default);
        var dir = Directory.CreateTempSubdirectory("python-client-").FullName;
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, server.Kubeconfig());
        var script = Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Kubernetes.Emulator.Tests", "Clients", "python_client.py");
        var requestsBefore = server.Store.CurrentResourceVersion;

        var (code, output, error) = await RunAsync(Python.Executable, script, kubeconfig);

        code.ShouldBe(0, error);
        var result = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        ((bool)result["dry_run_created"]!).ShouldBeFalse("dry_run=All must not create");
        result["events"]!.ToJsonString().ShouldBe("""[["ADDED","py"]]""", "watch=True streams events, filtered by the field selector");
        ((double)result["watch_seconds"]!).ShouldBeInRange(1.5, 10, "the watch ends at timeout_seconds: not at once (a plain list), not never");
        result["selected"]!.ToJsonString().ShouldBe("""["py"]""");
        (server.Store.CurrentResourceVersion - requestsBefore).ShouldBe(2, "two real creates; the dry run spent no resourceVersion");
    }

    private static Task<(int Code, string Out, string Error)> RunAsync(string file, params string[] args) => Tool.RunAsync(file, args, TimeSpan.FromSeconds(60));
}
