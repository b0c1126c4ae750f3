using System.Diagnostics;
using System.Text.Json.Nodes;
using Doris.Testing;

namespace Doris.Kubernetes.Emulator.Tests;

/// <summary>
/// The official JavaScript client, <c>@kubernetes/client-node</c> 1.x (pinned by <c>tests/clients/js/package-lock.json</c>,
/// installed by .ci/run with <c>npm ci</c>), against the emulator: dry run, an informer that starts on a quiet
/// resource, recovery after a server restart that forgot its history (410 on resume), field selectors.
/// </summary>
public sealed class JavaScriptClientTests
{
    private static readonly Storage.ResourceType ConfigMaps = new(string.Empty, "v1", "ConfigMap", "configmaps", "configmap", true, false, ["cm"]);
    private static readonly Storage.ResourceType Events = new(string.Empty, "v1", "Event", "events", "event", true, false, ["ev"]);

    [Fact]
    public async Task ClientNode_InformerDryRunAndSelectors_HoldAcrossAServerRestart()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All }, TimeProvider.System, default);
        var dir = Path.Combine(SharedFiles.RepositoryRoot, "tests", "clients", "js");
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("js-client-").FullName, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, server.Kubeconfig());
        server.Store.Create(Events, "default", (JsonObject)JsonNode.Parse("""{"metadata":{"name":"warn"},"involvedObject":{"kind":"Pod","name":"p"},"type":"Warning","reason":"BackOff"}""")!);
        server.Store.Create(Events, "default", (JsonObject)JsonNode.Parse("""{"metadata":{"name":"fine"},"involvedObject":{"kind":"Pod","name":"p"},"type":"Normal","reason":"Pulled"}""")!);

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = dir };
        start.ArgumentList.Add(Path.Combine(dir, "client.mjs"));
        start.ArgumentList.Add(kubeconfig);
        using var node = Process.Start(start)!;
        var error = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var first = await node.StandardOutput.ReadLineAsync(timeout.Token);
        first.ShouldBe("started", await Finished(node, error));
        await server.RestartAsync(TimeSpan.FromMilliseconds(500), forgetHistory: true);
        server.Store.Create(ConfigMaps, "default", (JsonObject)JsonNode.Parse("""{"metadata":{"name":"after"}}""")!);
        await node.StandardInput.WriteLineAsync("go");
        var last = await node.StandardOutput.ReadLineAsync(timeout.Token);
        await node.WaitForExitAsync(timeout.Token);

        node.ExitCode.ShouldBe(0, await error);
        var result = JsonNode.Parse(last!)!;
        ((bool)result["dryRunCreated"]!).ShouldBeFalse();
        result["seen"]!.ToJsonString().ShouldBe("""["after","before"]""", "the informer recovered from the restart and saw the change made meanwhile");
        result["warnings"]!.ToJsonString().ShouldBe("""["warn"]""");
    }

    private static async Task<string> Finished(Process process, Task<string> error)
    {
        if (!process.HasExited)
        {
            return "client still running";
        }

        return $"exit {process.ExitCode}: {await error}";
    }
}
