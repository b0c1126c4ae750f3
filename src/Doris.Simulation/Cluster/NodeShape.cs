using Doris.Kubernetes.Models;

namespace Doris.Simulation.Cluster;

/// <summary>One simulated EC2 worker: where it is, what it is, what it can hold, and how it is tainted.</summary>
public sealed record NodeShape(string Name, string Zone, string InstanceType, bool Spot, int Cpu, int MemoryGi, int MaxPods)
{
    public string Team { get; init; } = "doris";

    public IReadOnlyList<Taint> Taints { get; init; } = [];

    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();

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
            ["eks.amazonaws.com/capacityType"] = Spot ? "SPOT" : "ON_DEMAND",
            ["karpenter.sh/capacity-type"] = Spot ? "spot" : "on-demand",
            ["node.spotmax/team"] = Team,
            ["node.spotmax/type"] = Spot ? "spot" : "on-demand",
            ["node.spotmax/spec"] = $"{Cpu}c{MemoryGi}g",
        };
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
                Taints = [new Taint { Key = "node.spotmax/type", Value = "spot", Effect = "NoSchedule" }],
            });
        }

        return nodes;
    }
}
