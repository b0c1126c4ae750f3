using System.Text.Json;
using Doris.Api.Crd;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Emulator;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Cluster;
using Doris.Testing;

namespace Doris.Operator.Tests;

/// <summary>Events said again are one Event whose count grows, read back by the real kubectl.</summary>
public sealed class EventRecorderTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private KubernetesClient _client = null!;
    private string _kubeconfig = null!;
    private readonly string _cache = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;

    private ResourceClient<Event> Events => _client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event);

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = TestNamespaces.All }, TimeProvider.System, default);
        _client = new KubernetesClient(KubeConfigLoader.Parse(_server.Kubeconfig(), "kc", null, TimeProvider.System));
        _kubeconfig = Path.Combine(_cache, "kubeconfig");
        await File.WriteAllTextAsync(_kubeconfig, _server.Kubeconfig());
        await _client.For(ResourceDescriptor.CustomResourceDefinitions, KubernetesJsonContext.Default.CustomResourceDefinition).CreateAsync(DorisClusterCrd.Build());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<DorisCluster> ClusterAsync()
    {
        var yaml = await File.ReadAllTextAsync(Path.Combine(SharedFiles.RepositoryRoot, "examples", "minimal.yaml"));
        var cluster = YamlReader.Read(yaml, "minimal.yaml")[0].Root.Deserialize(DorisApiJsonContext.Default.DorisCluster)!;
        return await _client.For(DorisClusterResource.Descriptor, DorisApiJsonContext.Default.DorisCluster).CreateAsync(cluster with { Metadata = cluster.Metadata! with { Namespace = "default" } });
    }

    [Fact]
    public async Task SameWarningThreeTimes_IsOneEventWithCountThree_AndARestartedRecorderContinuesIt()
    {
        var cluster = await ClusterAsync();
        var clock = new ManualTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var recorder = new EventRecorder(Events, clock);
        const string message = "apache.doris.be/restartedAt='2020-01-01T00:00:00Z' is not an RFC 3339 time within 10 minutes";
        for (var i = 0; i < 3; i++)
        {
            await recorder.RecordAsync(cluster, "Warning", "RestartTimeInvalid", message, default);
            clock.Advance(TimeSpan.FromMinutes(5));
        }

        await new EventRecorder(Events, clock).RecordAsync(cluster, "Warning", "RestartTimeInvalid", message, default); // a new leader
        await recorder.RecordAsync(cluster, "Warning", "RestartTimeInvalid", "another message", default);

        var events = (await Events.ListAsync("default")).Items.Where(e => e.Reason == "RestartTimeInvalid").ToList();
        events.Count.ShouldBe(2, "one per distinct message");
        var repeated = events.Single(e => e.Message == message);
        repeated.Count.ShouldBe(4);
        repeated.FirstTimestamp.ShouldBe(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        repeated.LastTimestamp.ShouldBe(DateTimeOffset.Parse("2026-12-01T10:15:00Z", System.Globalization.CultureInfo.InvariantCulture));

        // kubectl, the tool people read Events with, sees one Event counted four times.
        var (code, output, error) = await Kubectl.RunAsync(_kubeconfig, _cache, "get", "events", "-n", "default", "--field-selector", "reason=RestartTimeInvalid",
            "-o", "custom-columns=COUNT:.count,REASON:.reason,OBJECT:.involvedObject.name", "--sort-by=.count");
        code.ShouldBe(0, error);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .ShouldBe(["1 RestartTimeInvalid doris", "4 RestartTimeInvalid doris"]);
    }

    [Fact]
    public async Task EventGoneBeforeTheRepeat_IsWrittenAfresh()
    {
        var cluster = await ClusterAsync();
        var recorder = new EventRecorder(Events, TimeProvider.System);
        await recorder.RecordAsync(cluster, "Normal", "Available", "every component has all pods ready", default);
        var first = (await Events.ListAsync("default")).Items.Single();
        await Events.DeleteAsync("default", first.Metadata!.Name!); // Events expire (an hour by default)

        await recorder.RecordAsync(cluster, "Normal", "Available", "every component has all pods ready", default);

        var again = (await Events.ListAsync("default")).Items.ShouldHaveSingleItem();
        again.Count.ShouldBe(1);
        again.Metadata!.Name.ShouldBe(first.Metadata.Name, "the name follows from what the Event says");
    }
}
