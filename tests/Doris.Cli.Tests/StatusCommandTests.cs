using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Doris.Testing;

namespace Doris.Cli.Tests;

/// <summary>
/// <c>dorisctl status</c> as a user runs it: against a running <c>dorisctl sandbox</c> (its own process), the FE
/// reached through the real <c>kubectl port-forward</c>, and the same binary as the kubectl plugin <c>kubectl doris</c>.
/// </summary>
public sealed class StatusCommandTests(StatusCommandTests.RunningSandbox sandbox) : IClassFixture<StatusCommandTests.RunningSandbox>
{
    private string Kubeconfig => sandbox.Kubeconfig;

    private string Work => sandbox.Dir;

    private static string Binary => Path.Combine(AppContext.BaseDirectory, "dorisctl");

    /// <summary>One <c>dorisctl sandbox --example production</c> for the class, left running as a user leaves it.</summary>
    public sealed class RunningSandbox : IAsyncLifetime
    {
        private Process _process = null!;

        public string Dir { get; } = Directory.CreateTempSubdirectory("status-").FullName;

        public string Kubeconfig => Path.Combine(Dir, "kc");

        public async Task InitializeAsync()
        {
            var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "sandbox", "--example", "production", "--kubeconfig-out", Kubeconfig })
            {
                start.ArgumentList.Add(a);
            }

            _process = Process.Start(start)!;
            _ = _process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            while (await _process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                if (line.Contains("the sandbox keeps running", StringComparison.Ordinal))
                {
                    _ = _process.StandardOutput.ReadToEndAsync();
                    return;
                }
            }

            Assert.Fail("the sandbox ended before the cluster was Ready");
        }

        public Task DisposeAsync()
        {
            _process.Kill(entireProcessTree: true);
            _process.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Status_RunningSandbox_ShowsConditionsComponentsPodsAndBudgetsAsJson()
    {
        var run = await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), "status", "doris-prod", "-n", "doris", "--kubeconfig", Kubeconfig, "-o", "json");

        run.ExitCode.ShouldBe(0, run.Error);
        var report = JsonNode.Parse(run.Out)!;
        report["conditions"]!.AsArray().ShouldContain(c => (string?)c!["type"] == "Ready" && (string?)c["status"] == "True");
        report["components"]!.AsArray().Select(c => $"{c!["component"]} {c["ready"]}/{c["desired"]}").ShouldBe(["fe 3/3", "be 3/3", "cn 2/2"]);
        var pods = report["pods"]!.AsArray();
        pods.Count.ShouldBe(8);
        pods.ShouldAllBe(p => p!["node"] != null && p["zone"] != null && (bool)p["ready"]!);
        pods.Where(p => (string?)p!["component"] == "cn").ShouldAllBe(p => (string?)p!["capacity"] == "spot");
        pods.Where(p => (string?)p!["component"] != "cn").ShouldAllBe(p => (string?)p!["capacity"] == "on-demand");
        report["budgets"]!.AsArray().Select(b => (string?)b!["name"]).ShouldBe(["doris-prod-be-pdb", "doris-prod-cn-pdb", "doris-prod-fe-pdb"]);
        report["frontend"].ShouldBeNull("no --fe-host: the FE is not read");
    }

    [Fact]
    public async Task Status_FeThroughKubectlPortForward_ShowsFrontendsBackendsAndTablets()
    {
        var port = FreePort();
        var forward = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--kubeconfig", Kubeconfig, "--cache-dir", Path.Combine(Work, "cache"), "port-forward", "-n", "doris", "svc/doris-prod-fe-service", $"{port}:9030" })
        {
            forward.ArgumentList.Add(a);
        }

        using var kubectl = Process.Start(forward)!;
        try
        {
            (await kubectl.StandardOutput.ReadLineAsync())!.ShouldContain("Forwarding from");
            var run = await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), "status", "doris-prod", "-n", "doris", "--kubeconfig", Kubeconfig, "--fe-host", "127.0.0.1", "--query-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

            run.ExitCode.ShouldBe(0, run.Error);
            run.Out.ShouldContain($"Frontends (from 127.0.0.1:{port}):");
            run.Out.Split('\n').Count(l => l.Contains("FOLLOWER", StringComparison.Ordinal)).ShouldBe(3);
            run.Out.Split('\n').Count(l => l.Contains("computation", StringComparison.Ordinal) && l.Contains(" yes ", StringComparison.Ordinal)).ShouldBe(2);
            run.Out.ShouldContain("Tablets: ");
        }
        finally
        {
            kubectl.Kill();
        }
    }

    [Fact]
    public async Task Status_UnreachableFe_IsReportedAndTheRestIsShown()
    {
        var run = await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), "status", "doris-prod", "-n", "doris", "--kubeconfig", Kubeconfig, "--fe-host", "127.0.0.1", "--query-port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));

        run.ExitCode.ShouldBe(0, run.Error);
        run.Out.ShouldContain("could not be read");
        run.Out.ShouldContain("doris-prod-be-2");
    }

    [Fact]
    public async Task Status_NoSuchCluster_SaysSoWithTheFix()
    {
        var run = await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), "status", "nope", "-n", "doris", "--kubeconfig", Kubeconfig);

        run.ExitCode.ShouldBe(ExitCodes.Unreadable);
        run.Error.ShouldContain("DorisCluster doris/nope not found; 'kubectl get dcr -A'");
        run.Error.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task KubectlPlugin_InstalledAsKubectlDoris_IsListedAndAnswersStatus()
    {
        var bin = Directory.CreateDirectory(Path.Combine(Work, "plugins")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "kubectl-doris"), Binary);
        var path = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";

        var list = await RunKubectl(path, "plugin", "list");
        list.Code.ShouldBe(0, list.Error);
        list.Out.ShouldContain(Path.Combine(bin, "kubectl-doris"));

        var status = await RunKubectl(path, "doris", "status", "doris-prod", "-n", "doris", "--kubeconfig", Kubeconfig);
        status.Code.ShouldBe(0, status.Error);
        status.Out.ShouldContain("DorisCluster doris/doris-prod");
        status.Out.ShouldContain("Ready              True");

        var help = await RunKubectl(path, "doris", "--help");
        help.Out.ShouldContain("kubectl doris");
    }

    private static async Task<(int Code, string Out, string Error)> RunKubectl(string path, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PATH"] = path;
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await error);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
