using Doris.Api.V1;
using Doris.Kubernetes.Models;
using Doris.Operator.Cluster;

namespace Doris.Operator.Tests;

/// <summary>A component's phase says what is happening: a new StatefulSet starts up, a rollout restarts pods.</summary>
public sealed class ComponentPhaseTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static DorisCluster Cluster => new()
    {
        Metadata = new ObjectMeta { Name = "c", Namespace = "default", Generation = 1 },
        Spec = new DorisClusterSpec { FeSpec = new FeSpec { Replicas = 3, Image = "apache/doris:fe-2.1.8" } },
    };

    private static StatefulSet Set(string? current, string update, int updated, int ready) => new()
    {
        Metadata = new ObjectMeta { Name = "c-fe", Namespace = "default", Generation = 1 },
        Spec = new StatefulSetSpec { Replicas = 3 },
        Status = new StatefulSetStatus { ObservedGeneration = 1, Replicas = 3, ReadyReplicas = ready, UpdatedReplicas = updated, CurrentRevision = current, UpdateRevision = update },
    };

    private static Pod FePod(int ordinal, string revision) => new()
    {
        Metadata = new ObjectMeta { Name = $"c-fe-{ordinal}", Namespace = "default", Labels = new Dictionary<string, string> { ["app.kubernetes.io/component"] = "fe", ["controller-revision-hash"] = revision } },
        Status = new PodStatus { Phase = "Running" },
    };

    private static string? Phase(StatefulSet set, params Pod[] pods) =>
        StatusBuilder.Build(Cluster, new StatusBuilder.Inputs(new Dictionary<Doris.Api.DorisComponent, StatefulSet?> { [Doris.Api.DorisComponent.Fe] = set }, pods, new Dictionary<string, ConfigMap>(), [], new HashSet<Doris.Api.DorisComponent>()), Now)
            .FeStatus?.ComponentCondition?.Phase;

    [Theory]
    [InlineData(null)]
    [InlineData("c-fe-1")]
    public void Phase_NewStatefulSetCreatingItsPods_IsInitializingNotRestarting(string? current) =>
        Phase(Set(current, "c-fe-1", updated: 1, ready: 0), FePod(0, "c-fe-1")).ShouldBe("initializing");

    [Fact]
    public void Phase_PodsOnAnOlderRevision_IsRestarting() =>
        Phase(Set("c-fe-1", "c-fe-2", updated: 1, ready: 3), FePod(0, "c-fe-1"), FePod(1, "c-fe-1"), FePod(2, "c-fe-2")).ShouldBe("restarting");

    [Fact]
    public void Phase_LastPodReplacedButCurrentRevisionNotMovedOn_IsStillRestarting() =>
        Phase(Set("c-fe-1", "c-fe-2", updated: 2, ready: 2), FePod(1, "c-fe-2"), FePod(2, "c-fe-2")).ShouldBe("restarting");
}
