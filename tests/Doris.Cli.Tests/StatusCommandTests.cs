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
        report["frontend"]!["address"]!.GetValue<string>().ShouldBe("pod/doris-prod-fe-0:9030 through the API server", "no --fe-host: the FE is reached as kubectl port-forward reaches it");
        report["frontend"]!["frontends"]!.AsArray().Count.ShouldBe(3);
        report["frontend"]!["error"].ShouldBeNull();
    }

    [Fact]
    public async Task Status_NoFe_ReadsOnlyTheApiServer()
    {
        var run = await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), "status", "doris-prod", "-n", "doris", "--kubeconfig", Kubeconfig, "--no-fe", "-o", "json");

        run.ExitCode.ShouldBe(0, run.Error);
        JsonNode.Parse(run.Out)!["frontend"].ShouldBeNull();
        var both = await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), "status", "doris-prod", "-n", "doris", "--kubeconfig", Kubeconfig, "--no-fe", "--fe-host", "127.0.0.1");
        both.ExitCode.ShouldBe(ExitCodes.Usage);
        both.Error.ShouldContain("--no-fe and --fe-host contradict each other");
    }

    /// <summary>The real kubectl port-forward to the sandbox's FE query port; kill the process when done.</summary>
    private async Task<(Process Kubectl, int Port)> ForwardFeAsync()
    {
        var port = FreePort();
        var forward = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--kubeconfig", Kubeconfig, "--cache-dir", Path.Combine(Work, "cache"), "port-forward", "-n", "doris", "svc/doris-prod-fe-service", $"{port}:9030" })
        {
            forward.ArgumentList.Add(a);
        }

        var kubectl = Process.Start(forward)!;
        (await kubectl.StandardOutput.ReadLineAsync())!.ShouldContain("Forwarding from");
        return (kubectl, port);
    }

    [Fact]
    public async Task Status_FeThroughKubectlPortForward_ShowsFrontendsBackendsAndTablets()
    {
        var (kubectl, port) = await ForwardFeAsync();
        try
        {
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
            kubectl.Dispose();
        }
    }

    // Upstream's `dorisctl get node`, its flags before the command as upstream's docs write them.
    [Fact]
    public async Task GetNode_UpstreamCommandLine_PrintsRowsAsUpstreamJsonAndCustomColumns()
    {
        var (kubectl, port) = await ForwardFeAsync();
        try
        {
            // The sandbox made the production example's authSecret with a random password: read it as a user would.
            var secret = await Testing.Kubectl.RunAsync(Kubeconfig, Path.Combine(Work, "cache"), "get", "secret", "doris-auth", "-n", "doris", "-o", "jsonpath={.data.password}");
            var password = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(secret.Out));
            string[] Connect(params string[] rest) => ["--fe-host", "127.0.0.1", "--query-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", "root", "--password", password, .. rest];
            const string Be = "doris-prod-be-1.doris-prod-be-internal.doris.svc.cluster.local";
            const string Fe = "doris-prod-fe-0.doris-prod-fe-internal.doris.svc.cluster.local";

            var be = await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), Connect("get", "node", Be));
            be.ExitCode.ShouldBe(0, be.Error);
            var row = JsonNode.Parse(be.Out)!.AsObject();
            ((string?)row["host"]).ShouldBe(Be);
            row["heartbeat_port"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.Number);
            row["alive"]!.GetValue<bool>().ShouldBeTrue();
            row["tablet_num"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.Number);
            row.ShouldContainKey("backend_id");
            row.ShouldContainKey("tag");
            be.Out.ShouldContain("\n    \"", Case.Sensitive, "indented by four spaces, as upstream's MarshalIndent");

            (await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), Connect("get", "node", Be, "-o", "custom-columns=tag.location"))).Out.Trim().ShouldBe("default");
            (await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), Connect("get", "node", Fe, "-o", "custom-columns=role"))).Out.Trim().ShouldBe("FOLLOWER");
            (await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), ["get", "node", Fe, "--fe-host", "127.0.0.1", "--query-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", "root", "--password", password, "-o", "custom-columns=is_master"])).Out.Trim().ShouldBe("true");

            var denied = await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), ["--fe-host", "127.0.0.1", "--query-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", "root", "--password", "wrong", "get", "node", Be]);
            denied.ExitCode.ShouldBe(ExitCodes.Unreadable);
            denied.Error.ShouldContain("check --user and --password");
            denied.Error.ShouldNotContain("wrong", Case.Sensitive, "the password is never printed");

            var missing = await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), Connect("get", "node", "nope.example"));
            missing.ExitCode.ShouldBe(ExitCodes.Invalid);
            missing.Error.ShouldContain("no frontend or backend has Host 'nope.example'; the FE lists: ");
            missing.Error.ShouldContain(Be);
        }
        finally
        {
            kubectl.Kill();
            kubectl.Dispose();
        }
    }

    [Theory]
    [InlineData("--ssl-ca", "--ssl-ca, --ssl-cert and --ssl-key go together")]
    [InlineData("", "--user is required")]
    public async Task GetNode_IncompleteFlags_AreUsageErrorsWithTheFix(string extra, string message)
    {
        string[] args = extra.Length > 0 ? ["--fe-host", "127.0.0.1", "--user", "root", extra, "/dev/null", "get", "node", "x"] : ["--fe-host", "127.0.0.1", "get", "node", "x"];
        var run = await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), args);

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain(message);
    }

    [Fact]
    public async Task GetNode_NothingListening_SaysWhereItTried()
    {
        var port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var run = await ProcessRun.RunAsync(TimeSpan.FromMinutes(1), "get", "node", "x", "--fe-host", "127.0.0.1", "--query-port", port, "--user", "root");

        run.ExitCode.ShouldBe(ExitCodes.Unreadable);
        run.Error.ShouldContain($"cannot query the FE at 127.0.0.1:{port} as root");
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
