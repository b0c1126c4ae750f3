using Doris.Eks.Artefacts;
using Doris.Eks.Blueprints;
using Doris.Eks.Instances;
using Doris.Eks.Planning;
using Doris.Kubernetes.Models;
using Doris.Simulation.Cluster;

namespace Doris.Sandbox;

/// <summary>
/// The fleet an EKS blueprint plans, as the sandbox simulates it: each node group (cluster-autoscaler) or NodePool
/// (Karpenter) with its real instance types, zones, labels, taints and bounds, and what the kubelet leaves for pods
/// on EKS (the AMI's kube-reserved CPU and memory and the eviction threshold).
/// </summary>
public static class PlannedFleet
{
    public static IReadOnlyList<NodeGroupShape> From(Blueprint blueprint, EksPlan plan)
    {
        ArgumentNullException.ThrowIfNull(blueprint);
        ArgumentNullException.ThrowIfNull(plan);
        if (blueprint.Autoscaler == "karpenter")
        {
            return [.. plan.Groups.GroupBy(KarpenterBuilder.PoolName).Select(pool =>
            {
                var g = pool.First();
                var disruption = KarpenterBuilder.Disruption(g);
                return new NodeGroupShape(pool.Key, [.. pool.SelectMany(p => p.Zones).Distinct()], [.. g.Types.Select(t => Instance(t, g.MaxPods))], g.Spot, g.Pool.Team ?? "default", 0, int.MaxValue, KarpenterBuilder.Weight(g))
                {
                    Labels = g.Labels,
                    Taints = Taints(g),
                    Karpenter = true,
                    CpuLimit = KarpenterBuilder.CpuLimit([.. pool]),
                    EmptyFor = disruption.ConsolidateAfter,
                    Budgets = [.. disruption.Budgets.Select(b => new NodeDisruptionBudget(b.Nodes, b.Reasons))],
                };
            })];
        }

        var priorities = ClusterAutoscalerBuilder.Priorities(plan.Groups);
        return [.. plan.Groups.Select(g => new NodeGroupShape(g.Name, g.Zones, [.. g.Types.Select(t => Instance(t, g.MaxPods))], g.Spot, g.Pool.Team ?? "default", g.DesiredSize, g.MaxSize, priorities[g.Name])
        {
            Labels = g.Labels,
            Taints = Taints(g),
            EmptyFor = TimeSpan.FromMinutes(10), // the planned --scale-down-unneeded-time
        })];
    }

    /// <summary>The plan's subnets and address rules, for the report's addresses per zone.</summary>
    public static FleetNetwork Network(Blueprint blueprint, EksPlan plan)
    {
        ArgumentNullException.ThrowIfNull(blueprint);
        ArgumentNullException.ThrowIfNull(plan);
        var types = plan.Groups.SelectMany(g => g.Types).DistinctBy(t => t.Name).ToDictionary(t => t.Name, StringComparer.Ordinal);
        return new FleetNetwork(plan.Subnets, blueprint.PrefixDelegation == true, types);
    }

    /// <summary>An instance type with the room EKS's AMI leaves for pods at the planned maxPods.</summary>
    public static InstanceShape Instance(InstanceType t, int maxPods)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new InstanceShape(t.Name, t.Vcpu, t.MemoryMib, maxPods, (t.Vcpu * 1000) - ReservedCpuMilli(t.Vcpu), t.MemoryMib - MaxPodsCalculator.KubeReservedMemoryMib(maxPods) - EvictionMib);
    }

    // The EKS AMI's kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of the third and fourth, 0.25% of the rest.
    private static int ReservedCpuMilli(int vcpu) =>
        60 + (vcpu > 1 ? 10 : 0) + (Math.Clamp(vcpu - 2, 0, 2) * 5) + (int)Math.Ceiling(Math.Max(0, vcpu - 4) * 2.5);

    // The kubelet's default hard eviction threshold (memory.available < 100Mi).
    private const int EvictionMib = 100;

    private static IReadOnlyList<Taint> Taints(NodeGroupPlan g) =>
        [.. g.Taints.Select(t => new Taint { Key = t.Key, Value = t.Value, Effect = t.Effect })];
}
