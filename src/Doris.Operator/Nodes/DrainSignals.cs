using Doris.Kubernetes.Models;

namespace Doris.Operator.Nodes;

/// <summary>
/// Recognises a node that is about to lose its pods: a cordon, the AWS node termination handler's taints (Spot
/// interruption notice, rebalance recommendation, ASG termination, scheduled maintenance), cluster-autoscaler's
/// scale-down taint and Karpenter's disruption taints.
/// </summary>
public static class DrainSignals
{
    private static readonly (string Key, string Meaning)[] Taints =
    [
        ("aws-node-termination-handler/spot-itn", "Spot interruption notice (about two minutes left)"),
        ("aws-node-termination-handler/rebalance-recommendation", "Spot rebalance recommendation"),
        ("aws-node-termination-handler/asg-lifecycle-termination", "Auto Scaling group termination"),
        ("aws-node-termination-handler/scheduled-maintenance", "EC2 scheduled maintenance"),
        ("ToBeDeletedByClusterAutoscaler", "cluster-autoscaler scale-down"),
        ("karpenter.sh/disrupted", "Karpenter disruption"),
        ("karpenter.sh/disruption", "Karpenter disruption"),
    ];

    /// <summary>Why the node is being drained, or null when it is not.</summary>
    public static string? Reason(Node? node)
    {
        if (node is null)
        {
            return null;
        }

        foreach (var taint in node.Spec?.Taints ?? [])
        {
            foreach (var (key, meaning) in Taints)
            {
                if (taint.Key == key)
                {
                    return meaning;
                }
            }
        }

        return node.Spec?.Unschedulable == true ? "cordoned" : null;
    }

    /// <summary>
    /// When the signal was given: the earliest <c>timeAdded</c> of the node's drain taints (the termination handler
    /// and Karpenter stamp them), or null for a cordon or an unstamped taint. Drain times count from here, not from
    /// when a reconcile first noticed, so time spent waiting in the queue is counted too.
    /// </summary>
    public static DateTimeOffset? Since(Node? node) =>
        node?.Spec?.Taints?.Where(t => t.TimeAdded is not null && Taints.Any(k => k.Key == t.Key)).Min(t => t.TimeAdded);
}
