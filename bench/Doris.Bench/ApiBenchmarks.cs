using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Emulator;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Bench;

/// <summary>
/// Our client against our emulator over HTTPS on loopback (one process, so each figure is the client's and
/// the server's cost together): create, get, list of 100, watch latency from a write to its event, and the
/// client's own serialisation cost per request without any I/O.
/// </summary>
[MemoryDiagnoser]
public class ApiBenchmarks
{
    private EmulatorServer _server = null!;
    private KubernetesClient _client = null!;
    private ResourceClient<ConfigMap> _configMaps = null!;
    private StatefulSet _statefulSet = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _server = EmulatorServer.StartAsync(new EmulatorOptions { CompactionWindow = 1_000_000 }, TimeProvider.System, default).GetAwaiter().GetResult();
        _client = new KubernetesClient(KubeConfigLoader.Parse(_server.Kubeconfig(), "bench", null, TimeProvider.System), new Doris.Kubernetes.Client.Http.ClientOptions { Qps = 1_000_000, Burst = 1_000_000 });
        _configMaps = _client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap);
        for (var i = 0; i < 100; i++)
        {
            _configMaps.CreateAsync(Cm($"seed-{i}", "list")).GetAwaiter().GetResult();
        }

        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "production.yaml"));
        var cluster = Doris.Api.Validation.DorisClusterReader.Read(YamlReader.Read(yaml, "p").Single(d => (string?)d.Root?["kind"] == "DorisCluster")).Cluster!;
        _statefulSet = Doris.Desired.DesiredClusterBuilder.Build(cluster, new Dictionary<string, ConfigMap>()).Objects.OfType<StatefulSet>().First();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static ConfigMap Cm(string name, string? ns = null) => new() { Metadata = new ObjectMeta { Name = name, Namespace = ns ?? "bench" }, Data = new Dictionary<string, string> { ["k"] = "v" } };

    [Benchmark]
    public Task<ConfigMap> Create() => _configMaps.CreateAsync(Cm($"c-{Interlocked.Increment(ref _next)}"));

    [Benchmark]
    public Task<ConfigMap> Get() => _configMaps.GetAsync("list", "seed-42");

    [Benchmark]
    public async Task<int> List100() => (await _configMaps.ListAsync("list")).Items.Count;

    /// <summary>From a write to the moment the watching client has decoded its event.</summary>
    [Benchmark]
    public async Task<string> WatchLatency()
    {
        var rv = _server.Store.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watch = _configMaps.WatchAsync("watch", rv, bookmarks: false, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        var first = watch.MoveNextAsync();
        await _configMaps.CreateAsync(Cm($"w-{Interlocked.Increment(ref _next)}", "watch"));
        await first;
        var name = watch.Current.Object.Metadata!.Name!;
        await cts.CancelAsync();
        try
        {
            await watch.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
        }

        return name;
    }

    /// <summary>Client-side cost of one StatefulSet write with no network: serialise the request and parse the response.</summary>
    [Benchmark]
    public StatefulSet? SerializeRoundTrip() =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(_statefulSet, KubernetesJsonContext.Default.StatefulSet), KubernetesJsonContext.Default.StatefulSet);
}
