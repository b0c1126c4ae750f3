using Doris.Kubernetes.Models;

namespace Doris.Simulation.Cluster;

/// <summary>One instance type a group can launch, with what the kubelet leaves for pods.</summary>
public sealed record InstanceShape(string Name, int Vcpu, int MemoryMib, int MaxPods, int AllocatableCpuMilli, int AllocatableMemoryMib);

/// <summary>
/// A planned node group (an Auto Scaling group for cluster-autoscaler, a NodePool for Karpenter): its zones, the
/// types it launches (cluster-autoscaler templates an ASG from its first type; Karpenter picks the smallest type
/// that fits), the labels and taints its nodes carry, its size bounds and its expander priority or pool weight.
/// </summary>
public sealed record NodeGroupShape(string Name, IReadOnlyList<string> Zones, IReadOnlyList<InstanceShape> Types, bool Spot, string Team, int Min, int Max, int Priority)
{
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<Taint> Taints { get; init; } = [];

    /// <summary>Karpenter pools launch the smallest fitting type and are bounded by a CPU limit rather than a size.</summary>
    public bool Karpenter { get; init; }

    /// <summary>Karpenter's <c>limits.cpu</c> for the pool (vCPU over all its nodes).</summary>
    public int? CpuLimit { get; init; }

    /// <summary>How long a node of this group stays empty before it is removed (cluster-autoscaler's scale-down-unneeded-time, Karpenter's consolidateAfter).</summary>
    public TimeSpan EmptyFor { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Karpenter's disruption budgets for the pool: how many of its nodes may be disrupted at once, per reason.</summary>
    public IReadOnlyList<NodeDisruptionBudget> Budgets { get; init; } = [];

    /// <summary>
    /// How many of the group's nodes may be disrupted now for this reason (Karpenter's rule: the smallest of the
    /// budgets that name the reason or name none, percentages of the pool's nodes rounded up; no budget, no limit).
    /// </summary>
    public int AllowedDisruptions(string reason, int nodes)
    {
        var allowed = int.MaxValue;
        foreach (var b in Budgets.Where(b => b.Reasons is null || b.Reasons.Contains(reason, StringComparer.Ordinal)))
        {
            allowed = Math.Min(allowed, b.Nodes.EndsWith('%')
                ? (int)Math.Ceiling(nodes * int.Parse(b.Nodes.AsSpan(0, b.Nodes.Length - 1), System.Globalization.CultureInfo.InvariantCulture) / 100.0)
                : int.Parse(b.Nodes, System.Globalization.CultureInfo.InvariantCulture));
        }

        return allowed;
    }
}

/// <summary>One NodePool disruption budget: <c>nodes</c> (a count or a percentage) for <c>reasons</c> (all when null).</summary>
public sealed record NodeDisruptionBudget(string Nodes, IReadOnlyList<string>? Reasons);
