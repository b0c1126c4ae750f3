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
            // One pool per team, spec and capacity type, as KarpenterBuilder writes them.
            return [.. plan.Groups.GroupBy(g => $"{g.Pool.Team}-{g.Pool.Spec}-{(g.Spot ? "spot" : "ondemand")}").Select(pool =>
            {
                var g = pool.First();
                return new NodeGroupShape(pool.Key, [.. pool.SelectMany(p => p.Zones).Distinct()], [.. g.Types.Select(t => Instance(t, g.MaxPods))], g.Spot, g.Pool.Team ?? "default", 0, int.MaxValue, g.Spot ? 50 : 10)
                {
                    Labels = g.Labels,
                    Taints = Taints(g),
                    Karpenter = true,
                    CpuLimit = pool.Sum(p => p.MaxSize) * g.Base.Vcpu,
                    EmptyFor = g.Stateful ? TimeSpan.FromMinutes(30) : TimeSpan.FromMinutes(5),
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
