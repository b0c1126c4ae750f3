using Doris.Api.Naming;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;

namespace Doris.Sandbox;

/// <summary>
/// What the planned fleet did and could do, measured from the simulated cluster at the end of a run: per node group
/// the nodes now, at the peak and at rest (once empty nodes are scaled down), pods per node, launches and Spot
/// shortages; whether the CN autoscaler's maxReplicas fits; addresses per zone against the plan; and the pods no
/// group could take, with each group's reason. No price is known here, so no cost is shown.
/// </summary>
public sealed record FleetWhatIf(
    string Autoscaler,
    IReadOnlyList<FleetWhatIf.Group> Groups,
    FleetWhatIf.CnFit? Cn,
    IReadOnlyList<FleetWhatIf.Zone> Zones,
    IReadOnlyList<FleetWhatIf.Stuck> Unplaceable)
{
    public sealed record Group(string Name, bool Spot, int Min, int? Max, int? CpuLimit, int Now, int AtRest, int Peak, int Launched, int Shortages, int BudgetBlocked,
        IReadOnlyDictionary<string, int> Pods, int MostPodsOnANode, double PodsPerNode);

    public sealed record CnFit(int MaxReplicas, IReadOnlyList<CnGroup> Groups, long Total)
    {
        public bool Fits => Total >= MaxReplicas;
    }

    public sealed record CnGroup(string Group, string InstanceType, int PerNode, int AtMaximum);

    /// <summary>Addresses in one zone's subnets: usable, what the plan reserves at the groups' maxima, and what the nodes hold now.</summary>
    public sealed record Zone(string Name, IReadOnlyList<string> Subnets, long Usable, long Planned, long InUse)
    {
        public bool WithinPlan => InUse <= Planned && InUse <= Usable;
    }

    public sealed record Stuck(string Pod, IReadOnlyList<string> Reasons);

    public static FleetWhatIf Measure(NodeAutoscaler autoscaler, TypedStore store, int? cnMaxReplicas = null, FleetNetwork? network = null)
    {
        ArgumentNullException.ThrowIfNull(autoscaler);
        ArgumentNullException.ThrowIfNull(store);
        var nodes = store.List(TypedStore.Nodes, KubernetesJsonContext.Default.Node);
        var allPods = store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod);
        var placed = allPods.Where(p => p.Spec?.NodeName is not null && p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();
        var podsOn = placed.GroupBy(p => p.Spec!.NodeName!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var groups = autoscaler.Groups.Select(g =>
        {
            var members = nodes.Where(n => n.Metadata?.Labels?.GetValueOrDefault(NodeShape.GroupLabel) == g.Name).ToList();
            var counts = members.Select(n => podsOn.GetValueOrDefault(n.Metadata!.Name!)?.Count ?? 0).ToList();
            var busy = counts.Count(c => c > 0);
            var pods = members.SelectMany(n => podsOn.GetValueOrDefault(n.Metadata!.Name!) ?? [])
                .GroupBy(p => p.Metadata?.Labels?.GetValueOrDefault(DorisLabels.Component) ?? "other", StringComparer.Ordinal)
                .OrderBy(c => c.Key, StringComparer.Ordinal)
                .ToDictionary(c => c.Key, c => c.Count(), StringComparer.Ordinal);
            return new Group(g.Name, g.Spot, g.Min, g.Karpenter ? null : g.Max, g.CpuLimit, members.Count, Math.Max(g.Min, busy), autoscaler.Peak.GetValueOrDefault(g.Name),
                autoscaler.Launches.GetValueOrDefault(g.Name), autoscaler.Shortages.GetValueOrDefault(g.Name), autoscaler.BudgetBlocked.GetValueOrDefault(g.Name),
                pods, counts.Count == 0 ? 0 : counts.Max(), busy == 0 ? 0 : Math.Round(counts.Where(c => c > 0).Average(), 1));
        }).ToList();

        CnFit? cn = null;
        if (cnMaxReplicas is { } cnMax && allPods.FirstOrDefault(p => p.Metadata?.Labels?.GetValueOrDefault(DorisLabels.Component) == "cn") is { } sample)
        {
            var capacity = autoscaler.Capacity(sample).Select(c => new CnGroup(c.Group, c.Type, c.PerNode, c.AtMaximum)).ToList();
            cn = new CnFit(cnMax, capacity, capacity.Sum(c => (long)c.AtMaximum));
        }

        var zones = network is null ? [] : network.Subnets.GroupBy(s => s.Zone, StringComparer.Ordinal).Select(z =>
        {
            var inUse = nodes.Where(n => n.Metadata?.Labels?.GetValueOrDefault("topology.kubernetes.io/zone") == z.Key)
                .Sum(n => (long)network.IpsInUse(n.Metadata!.Labels!.GetValueOrDefault("node.kubernetes.io/instance-type") ?? string.Empty,
                    podsOn.GetValueOrDefault(n.Metadata.Name!)?.Count(p => p.Spec?.HostNetwork != true) ?? 0));
            return new Zone(z.Key, [.. z.Select(s => s.SubnetId)], z.Sum(s => s.Usable), z.Sum(s => s.Needed), inUse);
        }).ToList();

        var stuck = autoscaler.Unplaceable.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new Stuck(kv.Key, kv.Value)).ToList();
        return new FleetWhatIf(autoscaler.Groups.Any(g => g.Karpenter) ? "karpenter" : "cluster-autoscaler", groups, cn, zones, stuck);
    }
}
