using Doris.Api.Naming;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Emulator;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Cluster;
using Doris.Testing;

namespace Doris.Operator.Tests;

/// <summary>
/// The applier against the emulator over a real socket, with a view standing in for a cache that has not seen the
/// operator's own create yet (each kind has its own watch, so a reconcile can run before a new child reaches it).
/// </summary>
public sealed class ChildApplierTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private KubernetesClient _client = null!;
    private readonly LaggingView _view = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = TestNamespaces.All }, TimeProvider.System, default);
        _client = new KubernetesClient(KubeConfigLoader.Parse(_server.Kubeconfig(), "kc", null, TimeProvider.System));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static Service Desired(string hash) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new ObjectMeta { Name = "c-fe", Namespace = "default", Annotations = new Dictionary<string, string> { [DorisLabels.ComponentsHash] = hash } },
        Spec = new ServiceSpec { Ports = [new ServicePort { Name = "query", Port = 9030 }] },
    };

    private IReadOnlyDictionary<(string Verb, string Resource, int Code), long> Sent() => _client.Requests.Snapshot();

    [Fact]
    public async Task Apply_CacheBehindItsOwnCreate_NeitherCreatesAgainNorReads()
    {
        var applier = new ChildApplier(_client, _view, _time);

        (await applier.ApplyAsync(Desired("h1"), default)).ShouldBeTrue();
        (await applier.ApplyAsync(Desired("h1"), default)).ShouldBeFalse("the object just created stands in for the cache's copy");

        Sent().ShouldBe(new Dictionary<(string, string, int), long> { [("POST", "services", 201)] = 1 }, ignoreOrder: true);
    }

    [Fact]
    public async Task Apply_CacheBehindAndSpecChanged_PatchesTheCreatedObjectOnce()
    {
        var applier = new ChildApplier(_client, _view, _time);
        await applier.ApplyAsync(Desired("h1"), default);

        (await applier.ApplyAsync(Desired("h2"), default)).ShouldBeTrue();
        (await applier.ApplyAsync(Desired("h2"), default)).ShouldBeFalse("the patched object is what the next look compares with");

        Sent().ShouldBe(new Dictionary<(string, string, int), long> { [("POST", "services", 201)] = 1, [("PATCH", "services", 200)] = 1 }, ignoreOrder: true);
        (await _client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service).GetAsync("default", "c-fe")).Metadata!.Annotations![DorisLabels.ComponentsHash].ShouldBe("h2");
    }

    [Fact]
    public async Task Apply_CreatedObjectTheCacheNeverSaw_IsCreatedAgainAfterTheTrustBound()
    {
        var applier = new ChildApplier(_client, _view, _time);
        var services = _client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service);
        await applier.ApplyAsync(Desired("h1"), default);
        await services.DeleteAsync("default", "c-fe"); // someone else deleted it before the cache saw it

        _time.Advance(ChildApplier.CreatedTrust + TimeSpan.FromSeconds(1));
        (await applier.ApplyAsync(Desired("h1"), default)).ShouldBeTrue();

        (await services.GetAsync("default", "c-fe")).Metadata!.Name.ShouldBe("c-fe");
    }

    [Fact]
    public async Task Apply_CacheSawTheObjectThenItsDeletion_CreatesItAgainAtOnce()
    {
        var applier = new ChildApplier(_client, _view, _time);
        var services = _client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service);
        await applier.ApplyAsync(Desired("h1"), default);
        _view.Live = await services.GetAsync("default", "c-fe"); // the cache catches up
        (await applier.ApplyAsync(Desired("h1"), default)).ShouldBeFalse();

        await services.DeleteAsync("default", "c-fe");
        _view.Live = null; // and sees the deletion
        (await applier.ApplyAsync(Desired("h1"), default)).ShouldBeTrue();

        Sent()[("POST", "services", 201)].ShouldBe(2);
    }

    [Fact]
    public async Task AwaitingCache_CreatedButNotYetCached_TrueUntilTheCacheHasIt()
    {
        var applier = new ChildApplier(_client, _view, _time);
        var desired = Desired("h1");
        applier.AwaitingCache([desired]).ShouldBeFalse("nothing created yet");

        await applier.ApplyAsync(desired, default);
        applier.AwaitingCache([desired]).ShouldBeTrue("a reconcile that would wait for nothing looks again after the stand-in expires");
        ChildApplier.AwaitingCacheRecheck.ShouldBeGreaterThan(ChildApplier.CreatedTrust);

        _view.Live = await _client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service).GetAsync("default", "c-fe");
        await applier.ApplyAsync(desired, default);
        applier.AwaitingCache([desired]).ShouldBeFalse("the cache has it");
    }

    private sealed class LaggingView : IChildView
    {
        public IKubernetesObject? Live { get; set; }

        public Task<IKubernetesObject?> ChildAsync(string kind, string ns, string name, CancellationToken cancellationToken) => Task.FromResult(Live);
    }
}
