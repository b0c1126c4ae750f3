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

    // Drain times count from the signal: the earliest stamped drain taint; other taints and cordons carry no time.
    [Fact]
    public void Since_StampedDrainTaints_EarliestOfThem()
    {
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var node = new Node
        {
            Metadata = new ObjectMeta { Name = "n" },
            Spec = new NodeSpec
            {
                Unschedulable = true,
                Taints =
                [
                    new Taint { Key = "node.spotmax/type", Effect = "NoSchedule", TimeAdded = at.AddHours(-5) },
                    new Taint { Key = "aws-node-termination-handler/spot-itn", Effect = "NoSchedule", TimeAdded = at.AddSeconds(30) },
                    new Taint { Key = "aws-node-termination-handler/rebalance-recommendation", Effect = "NoSchedule", TimeAdded = at },
                ],
            },
        };

        DrainSignals.Since(node).ShouldBe(at);
        DrainSignals.Since(Node(cordoned: true)).ShouldBeNull();
        DrainSignals.Since(Node(false, "aws-node-termination-handler/spot-itn")).ShouldBeNull("an unstamped taint: counted from the first sighting");
    }
}
