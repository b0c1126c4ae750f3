using Doris.Kubernetes.Models;
using Doris.Operator.Nodes;

namespace Doris.Operator.Tests;

public sealed class DrainSignalsTests
{
    private static Node Node(bool cordoned = false, params string[] taints) => new()
    {
        Metadata = new ObjectMeta { Name = "n" },
        Spec = new NodeSpec { Unschedulable = cordoned ? true : null, Taints = [.. taints.Select(t => new Taint { Key = t, Effect = "NoSchedule" })] },
    };

    [Theory]
    [InlineData("aws-node-termination-handler/spot-itn", "Spot interruption notice")]
    [InlineData("aws-node-termination-handler/rebalance-recommendation", "rebalance")]
    [InlineData("aws-node-termination-handler/asg-lifecycle-termination", "Auto Scaling")]
    [InlineData("aws-node-termination-handler/scheduled-maintenance", "maintenance")]
    [InlineData("ToBeDeletedByClusterAutoscaler", "cluster-autoscaler")]
    [InlineData("karpenter.sh/disrupted", "Karpenter")]
    [InlineData("karpenter.sh/disruption", "Karpenter")]
    public void Reason_DrainTaint_NamesTheSource(string taint, string expected) =>
        DrainSignals.Reason(Node(false, taint))!.ShouldContain(expected);

    [Fact]
    public void Reason_Cordoned_IsADrain() => DrainSignals.Reason(Node(cordoned: true)).ShouldBe("cordoned");

    [Fact]
    public void Reason_OrdinaryTaintsOrNoNode_AreNotDrains()
    {
        DrainSignals.Reason(Node(false, "node.spotmax/type", "dedicated")).ShouldBeNull();
        DrainSignals.Reason(null).ShouldBeNull();
    }
}
