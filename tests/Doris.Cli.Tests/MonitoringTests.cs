using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doris.Kubernetes.Emulator;
using Doris.Testing;

namespace Doris.Cli.Tests;

/// <summary>
/// PodMonitors and the Grafana dashboard, checked where they are consumed: python3-jsonschema against the Prometheus
/// Operator CRDs' openAPIV3Schema (strict, as kube-apiserver) and Grafana's dashboard model with its panel and
/// Prometheus query schemas (tests/reference-derived, from the real repositories); the dashboard's queries against
/// what a running operator's /metrics really exports, read with Prometheus's own parser.
/// </summary>
public sealed partial class MonitoringTests
{
    private static readonly string Reference = Path.Combine(SharedFiles.RepositoryRoot, "tests", "reference-derived");
    private static readonly string Validator = Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Cli.Tests", "Clients", "validate_monitoring.py");

    private static async Task<JsonNode> ValidateAsync(params string[] files)
    {
        var run = await Tool.RunAsync(Python.Executable, [Validator, Reference, .. files], TimeSpan.FromMinutes(1));
        run.Code.ShouldBe(0, run.Error);
        return JsonNode.Parse(run.Out)!;
    }

    private static string Save(string text, string extension)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("monitoring-").FullName, "out" + extension);
        File.WriteAllText(file, text);
        return file;
    }

    [Fact]
    public async Task PodMonitorsAndDashboard_WeWrite_ValidateAgainstPrometheusOperatorAndGrafanaSchemas()
    {
        var podMonitor = CliRun.Of("monitoring", "pod-monitor", "doris-prod", "-n", "doris", "--interval", "1m", "--monitor-label", "release=kube-prometheus-stack");
        var install = CliRun.Of("install", "--monitoring", "--monitor-label", "release=kube-prometheus-stack");
        var dashboard = CliRun.Of("monitoring", "dashboard");
        podMonitor.ExitCode.ShouldBe(0, podMonitor.Error);
        install.ExitCode.ShouldBe(0, install.Error);
        dashboard.ExitCode.ShouldBe(0, dashboard.Error);

        var result = await ValidateAsync(Save(podMonitor.Out, ".yaml"), Save(install.Out, ".yaml"), Save(dashboard.Out, ".json"));

        result["errors"]!.AsArray().Select(e => (string?)e).ShouldBeEmpty();
        result["checked"]!.AsArray().Count.ShouldBe(4, "two PodMonitors, the dashboard in its ConfigMap and on its own");
        podMonitor.Out.ShouldContain("interval: 1m");
        podMonitor.Out.ShouldContain("release: kube-prometheus-stack");
    }

    // The validator has teeth: what kube-apiserver or Grafana would refuse, it reports.
    [Fact]
    public async Task Validator_MisspelledFieldBadIntervalAndUnknownPanelOption_AreReported()
    {
        var podMonitor = CliRun.Of("monitoring", "pod-monitor", "doris-prod").Out.Replace("port: http-port", "prot: http-port", StringComparison.Ordinal).Replace("interval: 30s", "interval: 30 seconds", StringComparison.Ordinal);
        var dashboard = JsonNode.Parse(CliRun.Of("monitoring", "dashboard").Out)!;
        dashboard["panels"]![0]!["options"]!["graphMode"] = "sparkline";
        dashboard["panels"]![2]!["targets"]![0]!["exprr"] = "up";

        var errors = (await ValidateAsync(Save(podMonitor, ".yaml"), Save(dashboard.ToJsonString(), ".json")))["errors"]!.AsArray().Select(e => (string)e!).ToList();

        errors.ShouldContain(e => e.Contains("'prot' was unexpected", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("podMetricsEndpoints/0/interval: '30 seconds' does not match", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("graphMode: 'sparkline' is not one of", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("'exprr' was unexpected", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "monitoring", "pod-monitor", "Doris_Prod" }, "cluster 'Doris_Prod' is not a DorisCluster name")]
    [InlineData(new[] { "monitoring", "pod-monitor", "doris-prod", "--interval", "500ms" }, "--interval 0.5s is not a whole number of seconds")]
    [InlineData(new[] { "monitoring", "pod-monitor", "doris-prod", "--monitor-label", "release" }, "--monitor-label 'release' is not a label; give key=value")]
    [InlineData(new[] { "install", "--monitor-label", "release=kps" }, "give --monitoring too")]
    public void Monitoring_BadInput_IsAUsageErrorNamingTheFix(string[] args, string message)
    {
        var run = CliRun.Of(args);

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain(message);
        run.Out.ShouldBeEmpty("nothing half-written");
    }

    /// <summary>Every series a dashboard query names is one a running operator exports (histograms by their _bucket).</summary>
    [Fact]
    public async Task Dashboard_Queries_NameOnlySeriesARunningOperatorExports()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = TestNamespaces.All }, TimeProvider.System, default);
        var kubeconfig = Save(server.Kubeconfig(), ".kubeconfig");
        var port = FreePort();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "dorisctl")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "operator", "--kubeconfig", kubeconfig, "--probe-port", port.ToString(CultureInfo.InvariantCulture), "--lease-namespace", "default" })
        {
            start.ArgumentList.Add(a);
        }

        using var operatorProcess = Process.Start(start)!;
        string metrics;
        try
        {
            metrics = await ScrapeAsync(port);
        }
        finally
        {
            operatorProcess.Kill(entireProcessTree: true);
        }

        var exported = await SeriesNamesAsync(metrics);
        var dashboard = JsonNode.Parse(CliRun.Of("monitoring", "dashboard").Out)!;
        var named = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray()).SelectMany(t => SeriesName().Matches((string)t!["expr"]!).Select(m => m.Value)).Distinct().ToList();

        named.Count.ShouldBeGreaterThan(15);
        named.Where(n => !exported.Contains(n)).ShouldBeEmpty("series the dashboard queries but the operator does not export");
    }

    private static async Task<string> ScrapeAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
                if (text.Contains("process_resident_memory_bytes", StringComparison.Ordinal))
                {
                    return text;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // not listening yet
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, "the operator serves /metrics within 30 s");
            await Task.Delay(200);
        }
    }

    // Prometheus's own parser; a histogram family is queried through its _bucket, _sum and _count series.
    private static async Task<HashSet<string>> SeriesNamesAsync(string metrics)
    {
        var input = Save(metrics, ".txt");
        var script = $$"""
            import json
            from prometheus_client.parser import text_string_to_metric_families
            names = set()
            for family in text_string_to_metric_families(open(r'{{input}}').read()):
                names.add(family.name)
                for sample in family.samples:
                    names.add(sample.name)
                if family.type == 'histogram':
                    names.update(family.name + s for s in ('_bucket', '_sum', '_count'))
                if family.type == 'counter':
                    names.add(family.name + '_total')
            print(json.dumps(sorted(names)))
            """;
        var run = await Tool.RunAsync(Python.Executable, ["-c", script], TimeSpan.FromMinutes(1));
        run.Code.ShouldBe(0, run.Error);
        return [.. JsonNode.Parse(run.Out)!.AsArray().Select(n => (string)n!)];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"\b(?:dorisctl|process|dotnet)_[a-z0-9_]+\b")]
    private static partial Regex SeriesName();
}
