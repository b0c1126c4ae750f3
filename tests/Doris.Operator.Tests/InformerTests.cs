using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Emulator;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Runtime;

namespace Doris.Operator.Tests;

/// <summary>An informer over the real client against the emulator, with watches ended every way the real world ends them.</summary>
public sealed class InformerTests : IAsyncLifetime
{
    private static readonly InformerOptions Quick = new() { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) };
    private EmulatorServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All, BookmarkInterval = TimeSpan.FromMilliseconds(200) }, TimeProvider.System, default);
        _client = new KubernetesClient(KubeConfigLoader.Parse(_server.Kubeconfig(), "kc", null, TimeProvider.System));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private ResourceClient<ConfigMap> Maps => _client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap);

    private static ConfigMap Cm(string name) => new() { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new ObjectMeta { Name = name, Namespace = "default" } };

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Informer_WatchEndedEveryWay_ComesBackAndKeepsItsCacheCurrent()
    {
        var informer = new Informer<ConfigMap>(Maps, "default", TimeProvider.System, options: Quick);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(stop.Token);
        var ends = new (string Name, Func<Task> End)[]
        {
            ("clean close", () => { _server.Store.DropWatches(); return Task.CompletedTask; }),
            ("connection reset", () => { _server.Faults.BreakWatches(WatchBreak.Reset); return Task.CompletedTask; }),
            ("garbled stream", () => { _server.Faults.BreakWatches(WatchBreak.Corrupt); return Task.CompletedTask; }),
            ("5xx on the next watches", () => { _server.Faults.FailNext("WATCH", 3, 503); _server.Store.DropWatches(); return Task.CompletedTask; }),
            ("expired version", () => { _server.Faults.FailNext("WATCH", 1, 410); _server.Store.DropWatches(); return Task.CompletedTask; }),
            ("server restart", () => _server.RestartAsync(TimeSpan.FromMilliseconds(300))),
        };

        foreach (var (name, end) in ends)
        {
            await Eventually(() => _server.Store.OpenWatches > 0, $"a watch before the {name}");
            await end();
            await Maps.CreateAsync(Cm("after-" + name.Replace(' ', '-').Replace("5xx", "fivexx", StringComparison.Ordinal)));
            await Eventually(() => informer.Count == Array.IndexOf(ends, (name, end)) + 1, $"the object created after a {name} to reach the cache");
        }

        await Eventually(() => informer.WithoutWatch(DateTimeOffset.UtcNow) == TimeSpan.Zero, "a working watch at the end");
        run.IsCompleted.ShouldBeFalse("the informer never exits while the process runs");
        informer.WatchRestarts.Keys.ShouldBe(["broken", "closed", "error", "expired", "garbled"], ignoreOrder: true);
        await stop.CancelAsync();
        await run;
    }

    // The operator reads a cluster's pods through an index (a scan of every cached pod per reconcile cost a tenth of its
    // CPU at 1,000 clusters); the index must follow every way an object changes: listed, relabelled, deleted, adopted,
    // and replaced by a relist after a watch expired.
    [Fact]
    public async Task Informer_WithIndex_FollowsRelabelsDeletesAndRelists()
    {
        static ConfigMap Team(string name, string? team) => Cm(name) with { Metadata = Cm(name).Metadata! with { Labels = team is null ? null : new Dictionary<string, string> { ["team"] = team } } };
        foreach (var (name, team) in new[] { ("a", "x"), ("b", "x"), ("c", "y"), ("d", null) })
        {
            await Maps.CreateAsync(Team(name, team));
        }

        var informer = new Informer<ConfigMap>(Maps, "default", TimeProvider.System, options: Quick) { IndexBy = c => c.Metadata?.Labels?.GetValueOrDefault("team") };
        string[] Filed(string team) => [.. informer.Indexed(team).Select(c => c.Metadata!.Name!).Order()];
        string[] Scanned(string team) => [.. informer.List().Where(c => c.Metadata?.Labels?.GetValueOrDefault("team") == team).Select(c => c.Metadata!.Name!).Order()];
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(stop.Token);
        Filed("x").ShouldBe(["a", "b"]);
        Filed("y").ShouldBe(["c"]);
        Filed("none").ShouldBeEmpty();

        await Maps.PatchAsync("default", "b", PatchType.Merge, """{"metadata":{"labels":{"team":"y"}}}""");
        await Maps.DeleteAsync("default", "a");
        await Maps.CreateAsync(Team("e", "x"));
        await Maps.PatchAsync("default", "d", PatchType.Merge, """{"metadata":{"labels":{"team":"x"}}}""");
        await Eventually(() => Filed("x").SequenceEqual(["d", "e"]) && Filed("y").SequenceEqual(["b", "c"]), "the index to follow a relabel, a delete and a create");

        // A relist replaces the cache: what was deleted while the watch was down leaves the index too.
        _server.Faults.FailNext("WATCH", 1, 410);
        _server.Store.DropWatches();
        await Maps.DeleteAsync("default", "c");
        await Maps.PatchAsync("default", "e", PatchType.Merge, """{"metadata":{"labels":null}}""");
        await Eventually(() => Filed("y").SequenceEqual(["b"]) && Filed("x").SequenceEqual(["d"]), "the index after the relist");
        foreach (var team in new[] { "x", "y" })
        {
            Filed(team).ShouldBe(Scanned(team), $"index and cache agree on {team}");
        }

        await stop.CancelAsync();
        await run;
        Should.Throw<InvalidOperationException>(() => new Informer<ConfigMap>(Maps, "default", TimeProvider.System).Indexed("x"));
    }

    // The server records managedFields on every write; the operator's caches leave them out (lean), listed or watched.
    [Fact]
    public async Task Informer_WithLean_CachesObjectsWithoutManagedFields()
    {
        static ConfigMap WithData(string name) => Cm(name) with { Data = new Dictionary<string, string> { ["k"] = "v" } };
        await Maps.CreateAsync(WithData("listed"));
        var informer = new Informer<ConfigMap>(Maps, "default", TimeProvider.System, options: Quick, lean: c => c with { Metadata = c.Metadata! with { ManagedFields = null } });
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(stop.Token);

        await Maps.CreateAsync(WithData("watched"));
        await Eventually(() => informer.Get("default", "watched") is not null, "the watched object");

        (await Maps.GetAsync("default", "listed")).Metadata!.ManagedFields.ShouldNotBeNull("the server keeps them");
        informer.Get("default", "listed")!.Metadata!.ManagedFields.ShouldBeNull();
        informer.Get("default", "watched")!.Metadata!.ManagedFields.ShouldBeNull();
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Informer_ObjectThatDoesNotDecode_IsSkippedNamedAndPickedUpWhenFixed()
    {
        await Maps.CreateAsync(Cm("good"));
        await PostRawAsync("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"listed-bad"},"data":{"replicas":3}}""");
        var informer = new Informer<ConfigMap>(Maps, "default", TimeProvider.System, options: Quick);
        var reported = new List<UndecodableObject>();
        informer.Undecodable += reported.Add;
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(stop.Token);

        await PostRawAsync("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"watched-bad"},"data":{"on":true}}""");
        await Maps.CreateAsync(Cm("also-good"));
        await Eventually(() => informer.Count == 2 && reported.Count == 2, "both good objects cached and both bad ones reported");
        ((IInformerHealth)informer).Undecodable.Select(u => u.Name).ShouldBe(["listed-bad", "watched-bad"], ignoreOrder: true);
        reported[0].ToString().ShouldBe("ConfigMap default/listed-bad: field data.replicas does not decode: the value 3 is not a string");

        using var fix = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/watched-bad") { Content = new StringContent("""{"data":{"on":"true"}}""") };
        fix.Content.Headers.ContentType = new("application/merge-patch+json");
        (await Raw().SendAsync(fix)).EnsureSuccessStatusCode();

        await Eventually(() => informer.Get("default", "watched-bad") is not null, "the fixed object to be picked up");
        ((IInformerHealth)informer).Undecodable.Select(u => u.Name).ShouldBe(["listed-bad"]);
        informer.DecodeFailures.ShouldBe(2);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Informer_ResourceNotServed_RetriesAndEmptiesThenSyncsWhenServed()
    {
        var crds = _client.For(ResourceDescriptor.CustomResourceDefinitions, KubernetesJsonContext.Default.CustomResourceDefinition);
        var clusters = _client.For(Cluster.DorisClusterResource.Descriptor, Api.Serialization.DorisApiJsonContext.Default.DorisCluster);
        var informer = new Informer<Api.V1.DorisCluster>(clusters, null, TimeProvider.System, options: Quick);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await Eventually(() => informer.WatchRestarts.GetValueOrDefault("not-served") > 0, "the missing resource to be noticed");
        informer.HasSynced.ShouldBeFalse();

        await crds.CreateAsync(Api.Crd.DorisClusterCrd.Build());
        await informer.WaitForSyncAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        await PostRawAsync("""{"apiVersion":"doris.selectdb.com/v1","kind":"DorisCluster","metadata":{"name":"a"},"spec":{"feSpec":{"image":"fe","replicas":1}}}""", "/apis/doris.selectdb.com/v1/namespaces/default/dorisclusters");
        await Eventually(() => informer.Count == 1, "the cluster to be cached");

        await crds.DeleteAsync(null, "dorisclusters.doris.selectdb.com");
        await Eventually(() => informer.Count == 0, "the cluster deleted with its CRD to leave the cache");
        await crds.CreateAsync(Api.Crd.DorisClusterCrd.Build());
        await PostRawAsync("""{"apiVersion":"doris.selectdb.com/v1","kind":"DorisCluster","metadata":{"name":"b"},"spec":{"feSpec":{"image":"fe","replicas":1}}}""", "/apis/doris.selectdb.com/v1/namespaces/default/dorisclusters");
        await Eventually(() => informer.Get("default", "b") is not null, "a cluster of the re-created CRD to be cached");
        await stop.CancelAsync();
        await run;
    }

    private HttpClient Raw()
    {
        var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(_server.CertificateAuthorityPem!);
        var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && cert.RawData.AsSpan().SequenceEqual(ca.RawData) }) { BaseAddress = _server.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", _server.BearerToken);
        return http;
    }

    private async Task PostRawAsync(string body, string path = "/api/v1/namespaces/default/configmaps")
    {
        using var http = Raw();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await http.PostAsync(path, content);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }
}
