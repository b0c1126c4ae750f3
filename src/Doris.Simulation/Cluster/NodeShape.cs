using Doris.Api.Naming;
using Doris.Kubernetes.Models;

namespace Doris.Simulation.Cluster;

/// <summary>One simulated EC2 worker: where it is, what it is, what it can hold, and how it is tainted.</summary>
public sealed record NodeShape(string Name, string Zone, string InstanceType, bool Spot, int Cpu, int MemoryGi, int MaxPods)
{
    public string Team { get; init; } = "doris";

    public IReadOnlyList<Taint> Taints { get; init; } = [];

    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>What the kubelet leaves for pods (EKS reserves CPU and memory by instance size); a rough default when unset.</summary>
    public int? AllocatableCpuMilli { get; init; }

    public int? AllocatableMemoryMib { get; init; }

    /// <summary>The node group (ASG or NodePool) that launched it, for the autoscaler and the report.</summary>
    public string? Group { get; init; }

    /// <summary>The simulation's record of which planned group a node belongs to (EKS puts the ASG name in the node's tags; Karpenter labels karpenter.sh/nodepool).</summary>
    public const string GroupLabel = "simulation.dorisctl.io/node-group";

    /// <summary>The labels EKS, Karpenter and our launch templates put on a node (see the planner's node labels).</summary>
    public IReadOnlyDictionary<string, string> Labels()
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["kubernetes.io/hostname"] = Name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["topology.kubernetes.io/zone"] = Zone,
            ["topology.kubernetes.io/region"] = Zone[..^1],
            ["node.kubernetes.io/instance-type"] = InstanceType,
            [NodeLabels.EksCapacityType] = Spot ? "SPOT" : "ON_DEMAND",
            [NodeLabels.KarpenterCapacityType] = Spot ? "spot" : "on-demand",
            [NodeLabels.Team] = Team,
            [NodeLabels.Type] = NodeLabels.TypeOf(Spot),
            [NodeLabels.Spec] = $"{Cpu}c{MemoryGi}g",
        };
        if (Group is not null)
        {
            labels[GroupLabel] = Group;
        }

        foreach (var (k, v) in ExtraLabels)
        {
            labels[k] = v;
        }

        return labels;
    }

    /// <summary>
    /// A production-shaped fleet: on-demand memory-optimised nodes across three zones for FE and BE, and Spot
    /// general-purpose nodes (tainted, as the planner's Spot pools are) for CN.
    /// </summary>
    public static IReadOnlyList<NodeShape> DefaultFleet(string region = "us-east-1")
    {
        var zones = new[] { $"{region}a", $"{region}b", $"{region}c" };
        var nodes = new List<NodeShape>();
        for (var i = 0; i < 6; i++)
        {
            nodes.Add(new NodeShape($"ip-10-0-{i + 1}-10.ec2.internal", zones[i % 3], "r6i.4xlarge", false, 16, 128, 234));
        }

        for (var i = 0; i < 6; i++)
        {
            nodes.Add(new NodeShape($"ip-10-0-{i + 101}-20.ec2.internal", zones[i % 3], "m6i.4xlarge", true, 16, 64, 234)
            {
                Taints = [NodeLabels.SpotTaint()],
            });
        }

        return nodes;
    }
}
