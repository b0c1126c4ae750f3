using Doris.Api.Disaggregated;
using Doris.Kubernetes.Models;
using Doris.Operator.Disaggregated;

namespace Doris.Operator.Tests;

/// <summary>The storage-compute status: upstream's health rule, phases, and the conditions, from given inputs.</summary>
public sealed class DisaggregatedStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static DorisDisaggregatedCluster Cluster(params string[] groups) => new()
    {
        Metadata = new ObjectMeta { Name = "c", Namespace = "ns", Generation = 3 },
        Spec = new DisaggregatedClusterSpec { ComputeGroups = [.. groups.Select(g => new ComputeGroup { UniqueId = g, Replicas = 2 })] },
    };

    private static StatefulSet Set(string name, int replicas) => new()
    {
        Metadata = new ObjectMeta { Name = name, Generation = 1 },
        Spec = new StatefulSetSpec { Replicas = replicas },
        Status = new StatefulSetStatus { ObservedGeneration = 1, Replicas = replicas, CurrentRevision = "r1", UpdateRevision = "r1" },
    };

    private static Pod Pod(string type, string? group, bool ready) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = Guid.NewGuid().ToString("n"),
            Labels = new Dictionary<string, string> { ["app.doris.disaggregated.type"] = type, ["app.doris.disaggregated.cg-uniqueid"] = group ?? string.Empty },
        },
        Status = new PodStatus { Conditions = [new PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };

    // Every group listed by the FE (with an id) unless ids say otherwise.
    private static DisaggregatedClusterStatus Build(DorisDisaggregatedCluster cluster, IReadOnlyList<Pod> pods, Dictionary<string, string>? phases = null, Dictionary<string, string>? ids = null)
    {
        var sets = new[] { Set("c-ms", 1), Set("c-fe", 1) }.Concat(cluster.Spec!.ComputeGroups!.Select(g => Set("c-" + g.UniqueId, 2))).ToDictionary(s => s.Metadata!.Name!);
        ids ??= cluster.Spec.ComputeGroups!.ToDictionary(g => "c-" + g.UniqueId, g => g.UniqueId + "_1");
        return DisaggregatedStatusBuilder.Build(cluster, new DisaggregatedStatusBuilder.Inputs(sets, sets.ToDictionary(s => s.Key, s => s.Value.Spec!.Replicas!.Value), pods,
            phases ?? [], ids, [], []), Now);
    }

    [Fact]
    public void Status_GroupPodsReadyButNotListedByTheFe_NotReadyYet()
    {
        var status = Build(Cluster("a", "b"), Pods(1, 1, ("a", 2), ("b", 2)), ids: new() { ["c-a"] = "a_1" });

        status.ComputeGroupStatuses!.Select(g => g.Phase).ShouldBe(["Ready", "Reconciling"]);
        status.ComputeGroupStatuses!.Single(g => g.UniqueId == "b").ComputeGroupId.ShouldBeNull();
        var ready = status.Conditions!.Single(c => c.Type == "Ready");
        ready.Status.ShouldBe("False");
        ready.Message!.ShouldBe("compute group b: 2 pod(s) ready, not yet listed by the FE");
    }

    private static List<Pod> Pods(int msReady, int feReady, params (string Group, int Ready)[] groups) =>
        [.. Enumerable.Range(0, msReady).Select(_ => Pod("ms", null, true)), .. Enumerable.Range(0, feReady).Select(_ => Pod("fe", null, true)),
         .. groups.SelectMany(g => Enumerable.Range(0, 2).Select(i => Pod("compute", g.Group, i < g.Ready)))];

    [Fact]
    public void Status_EverythingReady_GreenAndReady()
    {
        var status = Build(Cluster("a", "b"), Pods(1, 1, ("a", 2), ("b", 2)));

        status.ClusterHealth!.Health.ShouldBe("green");
        status.ClusterHealth.CgFullAvailableCount.ShouldBe(2);
        status.ComputeGroupStatuses!.Select(g => g.Phase).ShouldBe(["Ready", "Ready"]);
        status.Conditions!.Single(c => c.Type == "Ready").Status.ShouldBe("True");
        status.ObservedGeneration.ShouldBe(3);
    }

    [Fact]
    public void Status_OneOfTwoGroupsDown_RedByUpstreamsHalfRule()
    {
        // Upstream: red when at most half the groups have an available member.
        var status = Build(Cluster("a", "b"), Pods(1, 1, ("a", 2), ("b", 0)));

        status.ClusterHealth!.Health.ShouldBe("red");
        status.ComputeGroupStatuses!.Single(g => g.UniqueId == "b").AvailableStatus.ShouldBe("UnAvailable");
        status.Conditions!.Single(c => c.Type == "Ready").Message!.ShouldContain("compute group b Reconciling (0/2 pods ready)");
    }

    [Fact]
    public void Status_GroupPartlyReady_YellowAndNotReady()
    {
        var status = Build(Cluster("a", "b", "c"), Pods(1, 1, ("a", 2), ("b", 2), ("c", 1)));

        status.ClusterHealth!.Health.ShouldBe("yellow");
        status.ClusterHealth.CgAvailableCount.ShouldBe(3);
        status.ClusterHealth.CgFullAvailableCount.ShouldBe(2);
        status.Conditions!.Single(c => c.Type == "Ready").Status.ShouldBe("False");
    }

    [Fact]
    public void Status_FrontendDown_Red()
    {
        Build(Cluster("a"), Pods(1, 0, ("a", 2))).ClusterHealth!.Health.ShouldBe("red");
    }

    [Fact]
    public void Status_MembersLeaving_PhaseFromTheMembershipStep()
    {
        var status = Build(Cluster("a"), Pods(1, 1, ("a", 2)), new Dictionary<string, string> { ["a"] = "Decommissioning" });

        status.ComputeGroupStatuses!.Single().Phase.ShouldBe("Decommissioning");
        status.Conditions!.Single(c => c.Type == "Progressing").Status.ShouldBe("True");
    }

    [Fact]
    public void Status_Invalid_OnlyConditionsChange()
    {
        var cluster = Cluster("a") with { Status = new DisaggregatedClusterStatus { ClusterHealth = new ClusterHealth { Health = "green" } } };

        var status = DisaggregatedStatusBuilder.Invalid(cluster, "spec.computeGroups[0].uniqueId: bad", Now);

        status.ClusterHealth!.Health.ShouldBe("green", "what was observed stays");
        status.Conditions!.Single(c => c.Type == "Invalid").Message.ShouldBe("spec.computeGroups[0].uniqueId: bad");
    }

    [Theory]
    [InlineData("c-cg1-0.c-cg1.ns.svc.cluster.local", "c-cg1", 0)]
    [InlineData("c-cg1-12.c-cg1.ns.svc.cluster.local", "c-cg1", 12)]
    [InlineData("c-cg1-x-0.c-cg1-x.ns.svc.cluster.local", "c-cg1", -1)]
    [InlineData("c-cg10-0.c-cg10.ns.svc.cluster.local", "c-cg1", -1)]
    [InlineData("c-cg1.ns", "c-cg1", -1)]
    public void Ordinal_MemberHost_BelongsOnlyToItsOwnSet(string host, string set, int ordinal) =>
        ComputeGroupMembers.Ordinal(host, set).ShouldBe(ordinal);
}
