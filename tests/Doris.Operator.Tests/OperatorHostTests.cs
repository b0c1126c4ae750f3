using Microsoft.Extensions.Logging;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Doris.Api.Crd;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Emulator;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Runtime;
using Doris.Testing;

namespace Doris.Operator.Tests;

/// <summary>Two operator replicas against the emulator: the leader reacts to watches; the other stays idle.</summary>
public sealed class OperatorHostTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All }, TimeProvider.System, default);
        _client = new KubernetesClient(KubeConfigLoader.Parse(_server.Kubeconfig(), "kc", null, TimeProvider.System));
    }

    private Task InstallCrd() => _client.For(ResourceDescriptor.CustomResourceDefinitions, KubernetesJsonContext.Default.CustomResourceDefinition).CreateAsync(DorisClusterCrd.Build());

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private OperatorHost Host(string identity, int? probePort = null, Microsoft.Extensions.Logging.ILoggerFactory? logging = null, TimeSpan? watchBound = null) => new(_client, new OperatorOptions
    {
        Identity = identity,
        ProbePort = probePort,
        Logging = logging,
        WatchHealthBound = watchBound ?? TimeSpan.FromSeconds(60),
        Informers = new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(400) },
        Election = new LeaderElectionOptions("doris-system", "dorisctl-operator", identity)
        {
            LeaseDuration = TimeSpan.FromSeconds(4),
            RenewDeadline = TimeSpan.FromSeconds(3),
            RetryPeriod = TimeSpan.FromMilliseconds(250),
        },
    }, TimeProvider.System);

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Prometheus's own text parser (python3-prometheus-client) reads the scrape: every family parses, and the
    /// memory gauges that tell a growing cache from a heap not given back carry real, positive values.
    /// </summary>
    private static async Task ShouldParseAsPrometheusScrape(string metrics)
    {
        var input = Path.GetTempFileName();
        await File.WriteAllTextAsync(input, metrics);
        const string script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            families = {f.name: [s.value for s in f.samples] for f in text_string_to_metric_families(open(sys.argv[1]).read())}
            print(json.dumps(families))
            """;
        var (code, output, error) = await Tool.RunAsync(Python.Executable, ["-c", script, input]);
        File.Delete(input);
        code.ShouldBe(0, error);
        var families = JsonSerializer.Deserialize<Dictionary<string, double[]>>(output)!;
        families.Count.ShouldBe(metrics.Split('\n').Count(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)), output);
        foreach (var name in new[] { "process_resident_memory_bytes", "dotnet_gc_heap_size_bytes", "dotnet_gc_committed_bytes" })
        {
            families[name].ShouldHaveSingleItem().ShouldBeGreaterThan(1024 * 1024, name);
        }

        families["dotnet_gc_allocated_bytes"].ShouldHaveSingleItem().ShouldBeGreaterThan(0);
    }

    private static async Task<(int Code, string Body)> ReadyzAsync(HttpClient http, int port)
    {
        using var response = await http.GetAsync($"http://127.0.0.1:{port}/readyz");
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    [Fact]
    public async Task TwoReplicas_OnlyTheLeaderReconciles_AndItFollowsSpecChanges()
    {
        await InstallCrd();
        var port = FreePort();
        var a = Host("replica-a", port);
        var b = Host("replica-b");
        using var stop = new CancellationTokenSource();
        var runA = a.RunAsync(stop.Token);
        await Eventually(() => Task.FromResult(a.IsLeader), "replica-a to lead");
        var runB = b.RunAsync(stop.Token);

        var yaml = await File.ReadAllTextAsync(Path.Combine(SharedFiles.RepositoryRoot, "examples", "minimal.yaml"));
        var clusters = _client.For(new ResourceDescriptor("doris.selectdb.com", "v1", "dorisclusters", true), DorisApiJsonContext.Default.DorisCluster);
        await clusters.CreateAsync(YamlReader.Read(yaml, "minimal.yaml")[0].Root.Deserialize(DorisApiJsonContext.Default.DorisCluster)!);
        var statefulSets = _client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet);
        await Eventually(async () => (await statefulSets.ListAsync("default")).Items.Count == 2, "the operator to create both StatefulSets");

        var cluster = await clusters.GetAsync("default", "doris");
        await clusters.ReplaceAsync(cluster with { Spec = cluster.Spec! with { BeSpec = cluster.Spec.BeSpec! with { Image = "apache/doris:be-2.1.9" } } });
        await Eventually(async () => (await statefulSets.GetAsync("default", "doris-be")).Spec!.Template!.Spec!.Containers![0].Image == "apache/doris:be-2.1.9", "the image change to reach the StatefulSet");

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        (await http.GetStringAsync($"http://127.0.0.1:{port}/healthz")).ShouldBe("ok");
        metrics.ShouldContain("dorisctl_leader 1");
        metrics.ShouldContain("# TYPE dorisctl_reconcile_total counter");
        metrics.ShouldContain("# TYPE dorisctl_reconcile_duration_seconds histogram");
        metrics.ShouldMatch(@"dorisctl_reconcile_duration_seconds_count [1-9]");
        metrics.ShouldMatch(@"dorisctl_api_requests_total\{verb=""POST"",resource=""statefulsets"",code=""201""\} [1-9]");
        metrics.ShouldMatch(@"dorisctl_api_requests_total\{verb=""WATCH"",resource=""dorisclusters"",code=""200""\} [1-9]");
        metrics.ShouldMatch(@"dorisctl_api_requests_total\{verb=""PUT"",resource=""leases"",code=""200""\} [1-9]");
        metrics.ShouldContain("dorisctl_cache_dorisclusters 1");
        metrics.ShouldContain("# TYPE dorisctl_drain_duration_seconds histogram");
        metrics.ShouldContain("dorisctl_drains_missed_total 0");
        await ShouldParseAsPrometheusScrape(metrics);
        b.IsLeader.ShouldBeFalse();
        b.Reconciles.ShouldBe(0, "a follower does not reconcile");
        a.Reconciles.ShouldBeGreaterThan(0);

        await stop.CancelAsync();
        await Task.WhenAll(runA, runB);
    }

    [Fact]
    public async Task OperatorStartedBeforeTheCrd_StartsWorkingOnceItIsInstalled()
    {
        var host = Host("early");
        var failures = 0;
        host.FeedFailed += (_, _) => Interlocked.Increment(ref failures);
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        await Eventually(() => Task.FromResult(Volatile.Read(ref failures) > 0), "the missing CRD to be noticed");

        await InstallCrd();
        var clusters = _client.For(new ResourceDescriptor("doris.selectdb.com", "v1", "dorisclusters", true), DorisApiJsonContext.Default.DorisCluster);
        var yaml = await File.ReadAllTextAsync(Path.Combine(SharedFiles.RepositoryRoot, "examples", "minimal.yaml"));
        await clusters.CreateAsync(YamlReader.Read(yaml, "minimal.yaml")[0].Root.Deserialize(DorisApiJsonContext.Default.DorisCluster)!);
        var statefulSets = _client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet);

        await Eventually(async () => (await statefulSets.ListAsync("default")).Items.Count == 2, "the operator to recover and create the StatefulSets");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Logs_SayWhatFailedAndThatItIsRetried()
    {
        var captured = new CapturingProvider();
        using var logging2 = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(captured));
        var host2 = Host("logged2", logging: logging2);
        using var stop2 = new CancellationTokenSource();
        var run2 = host2.RunAsync(stop2.Token);
        await Eventually(() => Task.FromResult(captured.Lines.Any(l => l.Contains("list/watch of DorisCluster failed, retrying", StringComparison.Ordinal))), "a warning about the failed list");
        captured.Lines.ShouldContain(l => l.StartsWith("Information elected leader as logged2", StringComparison.Ordinal));
        await stop2.CancelAsync();
        await run2;
    }

    // An existing setup without the DorisDisaggregatedCluster CRD: the leader serves DorisClusters, is ready, and says
    // in /metrics that it does not serve the other kind; installed (and the operator restarted), it serves both.
    [Fact]
    public async Task DisaggregatedCrd_MissingThenInstalled_ServedGaugeSaysSoAndReadinessHolds()
    {
        await InstallCrd();
        var port = FreePort();
        using var http = new HttpClient();
        async Task<string> Metrics() => await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");

        var host = Host("no-ddc", port);
        using (var stop = new CancellationTokenSource())
        {
            var run = host.RunAsync(stop.Token);
            await Eventually(async () => host.IsLeader && (await http.GetAsync($"http://127.0.0.1:{port}/readyz")).StatusCode == HttpStatusCode.OK, "a ready leader");
            (await Metrics()).ShouldContain("dorisctl_disaggregated_served 0");
            host.Disaggregated.ShouldBeNull();
            await stop.CancelAsync();
            await run;
        }

        await _client.For(ResourceDescriptor.CustomResourceDefinitions, KubernetesJsonContext.Default.CustomResourceDefinition).CreateAsync(DorisDisaggregatedClusterCrd.Build());
        var again = Host("with-ddc", port);
        using var stop2 = new CancellationTokenSource();
        var run2 = again.RunAsync(stop2.Token);
        await Eventually(async () => again.IsLeader && again.Disaggregated is not null && (await http.GetAsync($"http://127.0.0.1:{port}/readyz")).StatusCode == HttpStatusCode.OK, "a ready leader serving both kinds");
        var metrics = await Metrics();
        metrics.ShouldContain("dorisctl_disaggregated_served 1");
        metrics.ShouldContain("dorisctl_informer_synced{resource=\"dorisdisaggregatedclusters\"} 1");
        metrics.ShouldContain("dorisctl_informer_synced{resource=\"pods.disaggregated\"} 1");
        await stop2.CancelAsync();
        await run2;
    }

    // A follower is ready only while its election rounds reach the API server: one that cannot would never take
    // over, and /readyz said ok for it (and for any operator before its first round) without a single answer.
    [Fact]
    public async Task Readyz_FollowerWhoseElectionGetsNoAnswer_IsNotReadyNamingIt_ThenReady()
    {
        await InstallCrd();
        var leader = new LeaderElector(_client.For(ResourceDescriptor.Leases, KubernetesJsonContext.Default.Lease), new LeaderElectionOptions("doris-system", "dorisctl-operator", "leader") { LeaseDuration = TimeSpan.FromMinutes(5) }, TimeProvider.System);
        (await leader.TryAcquireOrRenewAsync(default)).ShouldBeTrue("another replica leads throughout");
        var port = FreePort();
        var follower = Host("follower", port);
        _server.Faults.FailNext("*", 100_000, 503);
        using var stop = new CancellationTokenSource();
        var run = follower.RunAsync(stop.Token);
        using var http = new HttpClient();
        Task<(int Code, string Body)> Probe() => ReadyzAsync(http, port);

        await Eventually(async () => await Probe() is { Code: 503, Body: var body } && body.Contains("leader election cannot reach the API server", StringComparison.Ordinal), "readyz to name the unreachable API server");
        _server.Faults.FailNext("*", 0, 503);
        await Eventually(async () => (await Probe()).Code == 200 && !follower.IsLeader, "a follower that hears the lease is held to be ready");
        await stop.CancelAsync();
        await run;
    }

    // Found by the start-up benchmark: a Lease namespace that does not exist (or RBAC without leases) made every round
    // an answer, so the operator sat as a follower for ever with /readyz green and nothing in its log.
    [Fact]
    public async Task Readyz_LeaseNamespaceMissing_NotReadyNamingItAndLoggedOnce()
    {
        await InstallCrd();
        var port = FreePort();
        var log = new StringWriter();
        using var logging = Doris.Operator.Runtime.LineLoggerProvider.CreateFactory(TextWriter.Synchronized(log), Doris.Operator.Runtime.LineLogFormat.Text, Microsoft.Extensions.Logging.LogLevel.Information, TimeProvider.System);
        var host = new OperatorHost(_client, new OperatorOptions
        {
            Identity = "lonely",
            ProbePort = port,
            Logging = logging,
            Election = new LeaderElectionOptions("no-such-namespace", "dorisctl-operator", "lonely") { RetryPeriod = TimeSpan.FromMilliseconds(100) },
        }, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        using var http = new HttpClient();
        Task<(int Code, string Body)> Probe() => ReadyzAsync(http, port);

        await Eventually(async () => await Probe() is { Code: 503, Body: var body } && body.Contains("leader election refused: cannot create Lease no-such-namespace/dorisctl-operator: namespace no-such-namespace does not exist", StringComparison.Ordinal), "readyz to name the missing namespace");
        await Task.Delay(500); // several more refused rounds
        await stop.CancelAsync();
        await run;

        host.IsLeader.ShouldBeFalse();
        var refusals = log.ToString().Split(Environment.NewLine).Where(l => l.StartsWith("fail: ", StringComparison.Ordinal) && l.Contains("leader election refused", StringComparison.Ordinal)).ToList();
        refusals.Count.ShouldBe(1, "logged when it starts, not every round");
        refusals[0].ShouldContain("--lease-namespace");
    }

    // A follower that has had answers rides out a blip shorter than the bound (as the informers' watches do), and is
    // not ready once the API server has been silent past it.
    [Fact]
    public async Task Readyz_FollowerAnsweredBefore_BlipWithinBoundStaysReady_SilencePastItIsNot()
    {
        await InstallCrd();
        var leader = new LeaderElector(_client.For(ResourceDescriptor.Leases, KubernetesJsonContext.Default.Lease), new LeaderElectionOptions("doris-system", "dorisctl-operator", "leader") { LeaseDuration = TimeSpan.FromMinutes(5) }, TimeProvider.System);
        (await leader.TryAcquireOrRenewAsync(default)).ShouldBeTrue("another replica leads throughout");
        var port = FreePort();
        var follower = Host("follower", port, watchBound: TimeSpan.FromSeconds(3));
        using var stop = new CancellationTokenSource();
        var run = follower.RunAsync(stop.Token);
        using var http = new HttpClient();
        Task<(int Code, string Body)> Probe() => ReadyzAsync(http, port);

        await Eventually(async () => (await Probe()).Code == 200, "a follower that hears the lease is held to be ready");
        _server.Faults.FailNext("*", 100_000, 503);
        await Task.Delay(1000); // several rounds (250 ms apart) without an answer, within the 3 s bound
        (await Probe()).Code.ShouldBe(200, "a blip shorter than the bound");
        await Eventually(async () => await Probe() is { Code: 503, Body: var body } && body.Contains("no answer for", StringComparison.Ordinal), "readyz to fail once silent past the bound");
        _server.Faults.FailNext("*", 0, 503);
        await Eventually(async () => (await Probe()).Code == 200, "ready again with answers");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Readyz_WatchesFailingPastTheBound_IsNotReadyThenReadyAgainWhenTheyRecover()
    {
        await InstallCrd();
        var port = FreePort();
        var host = Host("probed", port, watchBound: TimeSpan.FromSeconds(2));
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        using var http = new HttpClient();
        async Task<(int Code, string Body)> Probe(string path)
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}");
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        await Eventually(async () => (await Probe("/readyz")).Code == 200 && host.IsLeader && host.View is { } v && v.All.All(i => i.HasSynced), "a synced leader to be ready");

        _server.Faults.FailNext("WATCH", 100_000, 500);
        _server.Faults.BreakWatches(WatchBreak.Reset);
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await Probe("/readyz")).Code.ShouldBe(200, "a watch that was just cut is within the bound");
        // Each informer passes the bound on its own clock: wait until the DorisCluster one is named, not just the first.
        await Eventually(async () => await Probe("/readyz") is { Code: 503, Body: var failing } && failing.Contains("dorisclusters: no working watch for", StringComparison.Ordinal),
            "readyz to fail, naming the DorisCluster watch, once watches have failed past the bound");
        (await Probe("/healthz")).Code.ShouldBe(200, "blind is not stuck: restarting the process would not help");
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        metrics.ShouldMatch(@"dorisctl_watch_restarts_total\{resource=""dorisclusters"",reason=""broken""\} [1-9]");
        metrics.ShouldMatch(@"dorisctl_watch_restarts_total\{resource=""dorisclusters"",reason=""error""\} [1-9]");
        metrics.ShouldMatch(@"dorisctl_informer_without_watch_seconds\{resource=""pods""\} [2-9]");

        _server.Faults.FailNext("WATCH", 0, 500);
        await Eventually(async () => (await Probe("/readyz")).Code == 200, "readyz to recover with the watches");
        metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        metrics.ShouldContain("dorisctl_informer_without_watch_seconds{resource=\"dorisclusters\"} 0");
        metrics.ShouldContain("dorisctl_informer_synced{resource=\"dorisclusters\"} 1");
        metrics.ShouldContain("# TYPE dorisctl_informer_last_event_age_seconds gauge");
        metrics.ShouldContain("# TYPE dorisctl_workqueue_depth_by_reason gauge");
        metrics.ShouldContain("dorisctl_informer_decode_failures_total{resource=\"dorisclusters\"} 0");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task UndecodableCluster_UnderALooserCrd_IsReportedByNameWhileTheOthersAreReconciled_ThenPickedUpWhenFixed()
    {
        // A CRD that accepts anything, as an older or hand-edited one might: the server stores what we cannot read.
        var crd = JsonSerializer.SerializeToNode(DorisClusterCrd.Build(), KubernetesJsonContext.Default.CustomResourceDefinition)!;
        foreach (var version in crd["spec"]!["versions"]!.AsArray())
        {
            version!["schema"] = new System.Text.Json.Nodes.JsonObject { ["openAPIV3Schema"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } };
        }

        await _client.For(ResourceDescriptor.CustomResourceDefinitions, KubernetesJsonContext.Default.CustomResourceDefinition).CreateAsync(crd.Deserialize(KubernetesJsonContext.Default.CustomResourceDefinition)!);
        var yaml = await File.ReadAllTextAsync(Path.Combine(SharedFiles.RepositoryRoot, "examples", "minimal.yaml"));
        var minimal = YamlReader.Read(yaml, "minimal.yaml")[0].Root!;
        var clusters = _client.For(new ResourceDescriptor("doris.selectdb.com", "v1", "dorisclusters", true), DorisApiJsonContext.Default.DorisCluster);
        var bad = minimal.DeepClone();
        bad["metadata"]!["name"] = "broken";
        bad["spec"]!["beSpec"]!["replicas"] = "three";
        await PostAsync("/apis/doris.selectdb.com/v1/namespaces/default/dorisclusters", bad.ToJsonString());
        var captured = new CapturingProvider();
        using var logging = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(captured));
        var host = Host("tolerant", logging: logging);
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        await Eventually(() => Task.FromResult(host.View?.Clusters.HasSynced == true), "the cluster cache to sync despite the bad object");
        for (var i = 0; i < 3; i++)
        {
            var good = minimal.DeepClone();
            good["metadata"]!["name"] = $"good-{i}";
            await PostAsync("/apis/doris.selectdb.com/v1/namespaces/default/dorisclusters", good.ToJsonString());
        }

        var statefulSets = _client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet);
        await Eventually(async () => (await statefulSets.ListAsync("default")).Items.Count == 6, "every good cluster to be reconciled");
        var events = _client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event);
        await Eventually(async () => (await events.ListAsync("default")).Items.Any(e => e.Reason == "SpecUndecodable"), "a Warning Event on the bad cluster");
        var warning = (await events.ListAsync("default")).Items.Single(e => e.Reason == "SpecUndecodable");
        warning.InvolvedObject!.Name.ShouldBe("broken");
        warning.InvolvedObject.Kind.ShouldBe("DorisCluster");
        warning.Type.ShouldBe("Warning");
        warning.Message!.ShouldStartWith("spec.beSpec.replicas: the value \"three\" is not a number.", Case.Sensitive, warning.Message);
        captured.Lines.ShouldContain(l => l.Contains("DorisCluster default/broken: field spec.beSpec.replicas does not decode", StringComparison.Ordinal));
        (await statefulSets.ListAsync("default")).Items.ShouldNotContain(s => s.Metadata!.Name!.StartsWith("broken", StringComparison.Ordinal));
        host.View!.Clusters.DecodeFailures.ShouldBe(1);

        await PatchAsync("/apis/doris.selectdb.com/v1/namespaces/default/dorisclusters/broken", """{"spec":{"beSpec":{"replicas":1}}}""");
        await Eventually(async () => (await statefulSets.ListAsync("default")).Items.Count == 8, "the fixed cluster to be reconciled");
        ((IInformerHealth)host.View!.Clusters).Undecodable.ShouldBeEmpty();
        await stop.CancelAsync();
        await run;
    }

    private async Task PostAsync(string path, string json) => await SendRawAsync(HttpMethod.Post, path, json, "application/json");

    private async Task PatchAsync(string path, string json) => await SendRawAsync(HttpMethod.Patch, path, json, "application/merge-patch+json");

    private async Task SendRawAsync(HttpMethod method, string path, string json, string contentType)
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = _server.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", _server.BearerToken);
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json) };
        request.Content.Headers.ContentType = new(contentType);
        using var response = await http.SendAsync(request);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    private sealed class CapturingProvider : Microsoft.Extensions.Logging.ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {formatter(state, exception)}");
        }
    }
}
