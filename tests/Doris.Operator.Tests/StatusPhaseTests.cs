using Doris.Api;
using Doris.Api.V1;
using Doris.Kubernetes.Models;
using Doris.Operator.Cluster;

namespace Doris.Operator.Tests;

/// <summary>A component's phase follows what its StatefulSet reports: a new one is initializing, only pods on an older revision make a rollout.</summary>
public sealed class StatusPhaseTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    private static DorisCluster Cluster() => new()
    {
        ApiVersion = "doris.selectdb.com/v1",
        Kind = "DorisCluster",
        Metadata = new ObjectMeta { Name = "doris", Namespace = "default", Generation = 1 },
        Spec = new DorisClusterSpec { FeSpec = new FeSpec { Replicas = 3 } },
    };

    private static ComponentCondition FePhase(StatefulSetStatus status)
    {
        var sts = new StatefulSet { Metadata = new ObjectMeta { Name = "doris-fe", Generation = 1 }, Spec = new StatefulSetSpec { Replicas = 3 }, Status = status };
        var inputs = new StatusBuilder.Inputs(new Dictionary<DorisComponent, StatefulSet?> { [DorisComponent.Fe] = sts }, [], new Dictionary<string, ConfigMap>(), [], new HashSet<DorisComponent>());
        return StatusBuilder.Build(Cluster(), inputs, Now).FeStatus!.ComponentCondition!;
    }

    [Theory]
    [InlineData(0, 0)] // created, no pods yet
    [InlineData(1, 1)] // the first pod made, on the only revision there is
    public void NewStatefulSet_PodsNotAllMadeYet_InitializingNotRestarting(int replicas, int updated)
    {
        var phase = FePhase(new StatefulSetStatus { ObservedGeneration = 1, Replicas = replicas, UpdatedReplicas = updated, ReadyReplicas = 0, CurrentRevision = "doris-fe-1", UpdateRevision = "doris-fe-1" });

        phase.Phase.ShouldBe("initializing");
        phase.Message.ShouldBe("0/3 pods ready");
    }

    [Fact]
    public void RollingUpdate_PodsOnAnOlderRevision_Restarting()
    {
        var phase = FePhase(new StatefulSetStatus { ObservedGeneration = 1, Replicas = 3, UpdatedReplicas = 1, ReadyReplicas = 3, CurrentRevision = "doris-fe-1", UpdateRevision = "doris-fe-2" });

        phase.Phase.ShouldBe("restarting");
        phase.Message.ShouldBe("1/3 pods on the new revision, 3/3 ready");
    }

    [Fact]
    public void AllPodsReadyOnTheOnlyRevision_Available()
    {
        FePhase(new StatefulSetStatus { ObservedGeneration = 1, Replicas = 3, UpdatedReplicas = 3, ReadyReplicas = 3, CurrentRevision = "doris-fe-1", UpdateRevision = "doris-fe-1" })
            .Phase.ShouldBe("available");
    }
}
