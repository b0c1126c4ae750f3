using Doris.Api;
using Doris.Api.V1;
using Doris.Kubernetes.Models;
using Doris.Operator.Cluster;

namespace Doris.Operator.Tests;

/// <summary>Status that names the real cause: scheduling advice that follows the nodes meant for the pod, and the autoscaler's clamp.</summary>
public sealed class StatusAdviceTests
{
    private static readonly BeSpec Be = new() { Replicas = 3, Requests = new Dictionary<string, Quantity> { ["cpu"] = new("100"), ["memory"] = new("4Gi") } };

    [Fact]
    public void SchedulingAdvice_OnDemandNodesLackCpu_NamesCpuAndTheRequest_NotSpot()
    {
        var advice = SchedulingAdvice.For(DorisComponent.Be, Be, "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) didn't match Pod's node affinity/selector.");

        advice.ShouldContain("2 node(s) fit be's placement but lack cpu for requests.cpu 100");
        advice.ShouldContain("the other 3 node(s) are ruled out by its placement (be avoids Spot nodes), which is intended");
        advice.ShouldContain("lower be's requests or add larger nodes");
        advice.ShouldNotContain("add on-demand capacity");
    }

    [Fact]
    public void SchedulingAdvice_InsideThePodProblemLine_StillReadsTheCounts()
    {
        SchedulingAdvice.For(DorisComponent.Be, Be, "pod doris-be-2 cannot be scheduled: 0/12 nodes are available: 6 Insufficient cpu, 6 node(s) didn't match Pod's node affinity/selector.")
            .ShouldContain("6 node(s) fit be's placement but lack cpu");
    }

    [Fact]
    public void SchedulingAdvice_WithThePreemptionSentence_ReadsOnlyTheFilterCounts()
    {
        var advice = SchedulingAdvice.For(DorisComponent.Be, Be,
            "0/3 nodes are available: 1 Insufficient memory, 2 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");

        advice.ShouldContain("3 node(s) fit be's placement but lack memory and pod slots for requests.memory 4Gi");
        SchedulingAdvice.Reasons("0/3 nodes are available: 1 Insufficient memory, 2 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.")
            .ShouldBe([(1, "Insufficient memory"), (2, "Too many pods")]);
    }

    [Fact]
    public void SchedulingAdvice_OnlyPlacementRejects_KeepsTheSpotPolicyAdvice()
    {
        SchedulingAdvice.For(DorisComponent.Be, Be, "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector.")
            .ShouldContain("be avoids Spot nodes (spotPolicy avoid, the default) and no on-demand node fits");
        SchedulingAdvice.For(DorisComponent.Cn, new CnSpec { SpotPolicy = "required" }, "0/4 nodes are available: 4 node(s) had untolerated taint {dedicated: fe}.")
            .ShouldContain("spotPolicy: required admits only Spot nodes");
    }

    [Theory]
    [InlineData("0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints.", "zone spread")]
    [InlineData("0/2 nodes are available: 1 node(s) were unschedulable, 1 node(s) were not ready.", "cordoned")]
    [InlineData("pod has unbound immediate PersistentVolumeClaims", "")]
    public void SchedulingAdvice_OtherCauses_AreNamedOrLeftAlone(string message, string expected)
    {
        var advice = SchedulingAdvice.For(DorisComponent.Be, Be, message);
        if (expected.Length == 0)
        {
            advice.ShouldBeEmpty();
        }
        else
        {
            advice.ShouldContain(expected);
        }
    }

    private static DorisCluster WithCn(int? replicas, int min, int max) => new()
    {
        Metadata = new ObjectMeta { Name = "doris", Namespace = "default" },
        Spec = new DorisClusterSpec { CnSpec = new CnSpec { Replicas = replicas, AutoScalingPolicy = new AutoScalingPolicy { MinReplicas = min, MaxReplicas = max } } },
    };

    [Theory]
    [InlineData(1, true, "BelowMinReplicas", "spec.cnSpec.replicas is 1, below cnSpec.autoScalingPolicy.minReplicas 2: 2 CNs run")]
    [InlineData(9, true, "AboveMaxReplicas", "spec.cnSpec.replicas is 9, above cnSpec.autoScalingPolicy.maxReplicas 4: 4 CNs run")]
    [InlineData(3, false, "WithinBounds", "CN replicas 3 are within the autoscaler's bounds [2, 4]")]
    public void AutoscalerBounds_ReplicasAgainstMinAndMax_SaysWhatRuns(int replicas, bool limited, string reason, string message)
    {
        var verdict = AutoscalerBounds.Judge(WithCn(replicas, 2, 4));

        verdict.Limited.ShouldBe(limited);
        verdict.Reason.ShouldBe(reason);
        verdict.Message.ShouldStartWith(message);
        WithCn(replicas, 2, 4).Spec!.CnSpec!.DesiredReplicas().ShouldBe(Math.Clamp(replicas, 2, 4), "the condition describes the clamp the StatefulSet gets");
    }
}
