using System.Diagnostics;
using System.Text.Json.Nodes;
using Doris.Testing;

namespace Doris.Kubernetes.Emulator.Tests;

/// <summary>
/// How a watch begins and ends, as kube-apiserver does it, and the fault switches that end watches the ways the
/// real world does: reset connections, garbled streams, a server restart, a CRD deleted under a watch.
/// </summary>
public sealed class WatchLifecycleTests
{
    private const string Watch = "/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=false";

    private static async Task<HttpResponseMessage> OpenAsync(EmulatorFixture e, string path, TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        return await e.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, cts.Token);
    }

    [Fact]
    public async Task QuietWatch_AnswersTwoHundredAndHeadersAtOnce()
    {
        await using var e = await EmulatorFixture.StartAsync();

        using var response = await OpenAsync(e, Watch, TimeSpan.FromSeconds(3));

        ((int)response.StatusCode).ShouldBe(200, "a watch with nothing to say is still a working watch");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
    }

    [Fact]
    public async Task TimeoutSeconds_EndsTheStreamCleanly()
    {
        await using var e = await EmulatorFixture.StartAsync();
        var clock = Stopwatch.StartNew();

        using var response = await OpenAsync(e, Watch + "&timeoutSeconds=1", TimeSpan.FromSeconds(3));
        var body = await response.Content.ReadAsStringAsync(); // throws if the stream is cut instead of ended

        ((int)response.StatusCode).ShouldBe(200);
        body.ShouldBeEmpty();
        clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromMilliseconds(900));
        e.Server.Store.OpenWatches.ShouldBe(0, "the ended watch is unsubscribed");
    }

    [Fact]
    public async Task TimeoutSeconds_FollowsTheServerClock()
    {
        var clock = new Doris.Simulation.Time.SimulatedClock();
        var server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All, Tls = false }, clock, default);
        await using var _ = server;
        using var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", server.BearerToken);
        using var response = await http.GetAsync(Watch + "&timeoutSeconds=300", HttpCompletionOption.ResponseHeadersRead);
        var read = response.Content.ReadAsStringAsync();
        await Task.Delay(200);
        read.IsCompleted.ShouldBeFalse();

        clock.Advance(TimeSpan.FromSeconds(301));

        (await read.WaitAsync(TimeSpan.FromSeconds(5))).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TimeoutSeconds_OnTheServerClock_EndsAQuietWatchWithBookmarks(bool tls)
    {
        var clock = new Doris.Simulation.Time.SimulatedClock();
        var server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All, Tls = tls }, clock, default);
        await using var _ = server;
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", server.BearerToken);
        using var response = await http.GetAsync("/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=300", HttpCompletionOption.ResponseHeadersRead);
        var read = response.Content.ReadAsStringAsync();

        for (var second = 0; second < 301 && !read.IsCompleted; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        var body = await read.WaitAsync(TimeSpan.FromSeconds(5));
        body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBeInRange(25, 31, "a bookmark every 10 simulated seconds until the end");
    }

    [Fact]
    public async Task BreakWatches_Reset_IsAnIoErrorForTheClient()
    {
        await using var e = await EmulatorFixture.StartAsync();
        using var response = await OpenAsync(e, Watch, TimeSpan.FromSeconds(3));
        var stream = await response.Content.ReadAsStreamAsync();
        var read = stream.ReadAsync(new byte[100]).AsTask();
        await Task.Delay(100);

        e.Server.Faults.BreakWatches(WatchBreak.Reset);

        await Should.ThrowAsync<IOException>(() => read.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task BreakWatches_Corrupt_LeavesHalfAnEventThenEnds()
    {
        await using var e = await EmulatorFixture.StartAsync();
        using var response = await OpenAsync(e, Watch, TimeSpan.FromSeconds(3));
        var body = response.Content.ReadAsStringAsync();
        await Task.Delay(100);

        e.Server.Faults.BreakWatches(WatchBreak.Corrupt);

        var text = await body.WaitAsync(TimeSpan.FromSeconds(5));
        Should.Throw<System.Text.Json.JsonException>(() => JsonNode.Parse(text.Trim()));
    }

    [Fact]
    public async Task FailNextWatch_FailsWatchesOnly()
    {
        await using var e = await EmulatorFixture.StartAsync();
        e.Server.Faults.FailNext("WATCH", 1, 503);

        (await e.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps")).Code.ShouldBe(200);
        using var failed = await OpenAsync(e, Watch, TimeSpan.FromSeconds(3));
        using var next = await OpenAsync(e, Watch + "&timeoutSeconds=1", TimeSpan.FromSeconds(3));

        ((int)failed.StatusCode).ShouldBe(503);
        ((int)next.StatusCode).ShouldBe(200);
    }

    [Fact]
    public async Task Restart_ResetsWatchesRefusesConnectionsThenServesTheSameObjects()
    {
        await using var e = await EmulatorFixture.StartAsync();
        (await e.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"kept"}}""")).Code.ShouldBe(201);
        using var response = await OpenAsync(e, Watch, TimeSpan.FromSeconds(3));
        var read = (await response.Content.ReadAsStreamAsync()).ReadAsync(new byte[100]).AsTask();

        var restart = e.Server.RestartAsync(TimeSpan.FromMilliseconds(700));
        await Task.Delay(300);
        var during = await Record.ExceptionAsync(() => e.Http.GetAsync("/api/v1/namespaces/default/configmaps/kept"));
        await restart;

        (await Record.ExceptionAsync(() => read.WaitAsync(TimeSpan.FromSeconds(5)))).ShouldBeAssignableTo<IOException>();
        during.ShouldBeOfType<HttpRequestException>("the port refuses connections while the server is down");
        (await e.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps/kept")).Code.ShouldBe(200);
        e.Server.Restarts.ShouldBe(1);
    }

    [Fact]
    public async Task CrdDeleted_EndsItsWatchesAfterTheDeletes_AndTheRecreatedResourceIsWatchedAnew()
    {
        await using var e = await EmulatorFixture.StartAsync();
        var crd = System.Text.Json.JsonSerializer.Serialize(Api.Crd.DorisClusterCrd.Build(), Kubernetes.Serialization.KubernetesJsonContext.Default.CustomResourceDefinition);
        const string Path = "/apis/doris.selectdb.com/v1/namespaces/default/dorisclusters";
        const string Cluster = """{"apiVersion":"doris.selectdb.com/v1","kind":"DorisCluster","metadata":{"name":"a"},"spec":{"feSpec":{"image":"apache/doris:fe-2.1.9","replicas":1}}}""";
        (await e.SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)).Code.ShouldBe(201);
        (await e.SendAsync(HttpMethod.Post, Path, Cluster)).Code.ShouldBe(201);
        using var first = await OpenAsync(e, Path + "?watch=true&resourceVersion=1", TimeSpan.FromSeconds(3));
        var firstBody = first.Content.ReadAsStringAsync();
        await Task.Delay(100);

        (await e.SendAsync(HttpMethod.Delete, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/dorisclusters.doris.selectdb.com")).Code.ShouldBe(200);
        var ended = await firstBody.WaitAsync(TimeSpan.FromSeconds(5));
        (await e.SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)).Code.ShouldBe(201);
        using var second = await OpenAsync(e, Path + "?watch=true&timeoutSeconds=2", TimeSpan.FromSeconds(3));
        var secondBody = second.Content.ReadAsStringAsync();
        await Task.Delay(100);
        (await e.SendAsync(HttpMethod.Post, Path, Cluster.Replace("\"a\"", "\"b\"", StringComparison.Ordinal))).Code.ShouldBe(201);

        var types = ended.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (string?)JsonNode.Parse(l)!["type"]).ToList();
        types.ShouldBe(["ADDED", "DELETED"], "the objects' deletion is streamed, then the watch ends cleanly");
        (await secondBody.WaitAsync(TimeSpan.FromSeconds(5))).ShouldContain("\"name\":\"b\"");
    }

    [Fact]
    public async Task Kubectl_WatchWithRequestTimeout_EndsCleanlyWithExitZero()
    {
        await using var e = await EmulatorFixture.StartAsync();
        var dir = Directory.CreateTempSubdirectory("kubectl-watch-").FullName;
        await File.WriteAllTextAsync(System.IO.Path.Combine(dir, "kubeconfig"), e.Server.Kubeconfig());

        var (code, _, error) = await Kubectl.RunAsync(System.IO.Path.Combine(dir, "kubeconfig"), System.IO.Path.Combine(dir, "cache"), "get", "configmaps", "--watch", "--request-timeout=2s");

        code.ShouldBe(0, error);
        error.ShouldBeEmpty();
    }
}
