using Doris.Eks.Blueprints;
using Doris.Eks.Instances;

namespace Doris.Eks.Planning;

/// <summary>
/// Turns blueprint pools into node groups named <c>&lt;team&gt;-&lt;spec&gt;-&lt;suffix&gt;</c>: stateful (FE/BE)
/// pools get one on-demand group per zone, so cluster-autoscaler can add a node in the zone of a pending
/// pod's volume; other pools get one group across their zones.
/// </summary>
public static class GroupResolver
{
    public static IReadOnlyList<NodeGroupPlan> Resolve(Blueprint b, InstanceCatalog catalog)
    {
        var pd = b.PrefixDelegation == true;
        var allZones = b.Vpc!.Subnets!.Select(s => s.Zone!).ToList();
        var groups = new List<NodeGroupPlan>();
        foreach (var pool in b.Pools!)
        {
            ShapeSpec.TryParse(pool.Spec, out var spec);
            var types = pool.InstanceTypes is { Count: > 0 } listed
                ? [.. listed.Select(n => catalog.Find(n)!)]
                : SpotChooser.Choose(catalog, spec!, pool.Architecture ?? "amd64", pd, pool.Lifecycle == "spot" ? pool.MinInstanceTypes ?? PlanDefaults.MinSpotTypes : 1);
            var maxPods = types.Min(t => pd ? t.RecommendedMaxPods(true) : t.MaxPods);
            var zones = pool.Zones is { Count: > 0 } z ? z : allZones;
            var lifecycle = pool.Lifecycle == "spot" ? "spot" : "ondemand";
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in pool.Labels ?? new Dictionary<string, string>())
            {
                labels[k] = v;
            }

            labels[PlanDefaults.TeamLabel] = pool.Team!;
            labels[PlanDefaults.TypeLabel] = lifecycle;
            labels[PlanDefaults.SpecLabel] = pool.Spec!;
            labels[PlanDefaults.RoleLabel] = pool.Role ?? "general";

            // The label EKS puts on managed-group nodes; setting it on self-managed nodes too lets one
            // nodeAffinity term (and the Doris operator's Spot placement) work for both kinds.
            labels[PlanDefaults.CapacityTypeLabel] = pool.Lifecycle == "spot" ? "SPOT" : "ON_DEMAND";
            var taints = new List<BlueprintTaint>(pool.Taints ?? []);
            if (pool.Lifecycle == "spot" && !taints.Any(t => t.Key == PlanDefaults.TypeLabel))
            {
                // Only pods that tolerate Spot (Doris CNs) land on Spot nodes.
                taints.Add(new BlueprintTaint { Key = PlanDefaults.TypeLabel, Value = "spot", Effect = "NoSchedule" });
            }

            var baseName = $"{pool.Team}-{pool.Spec}-{lifecycle}";
            var stateful = pool.Role is "fe" or "be";
            if (stateful)
            {
                foreach (var zone in zones)
                {
                    var perZone = (int)Math.Ceiling((pool.MaxSize ?? 1) / (double)zones.Count);
                    int Share(int total) => Math.Min((int)Math.Ceiling(total / (double)zones.Count), perZone);
                    var zonal = pool with { MaxSize = perZone, MinSize = Share(pool.MinSize ?? 0), DesiredSize = pool.DesiredSize is { } d ? Share(d) : null };
                    groups.Add(new NodeGroupPlan($"{baseName}-{ZoneSuffix(zone)}", zonal, spec!, [zone], types, maxPods, labels, taints));
                }
            }
            else
            {
                groups.Add(new NodeGroupPlan(baseName, pool, spec!, zones, types, maxPods, labels, taints));
            }
        }

        return groups;
    }

    /// <summary><c>us-east-1a</c> → <c>use1a</c>, <c>ap-southeast-2b</c> → <c>aps2b</c>.</summary>
    public static string ZoneSuffix(string zone)
    {
        var parts = zone.Split('-');
        return parts.Length >= 3 ? parts[0] + parts[1][0] + string.Concat(parts[2..]) : zone.Replace("-", string.Empty, StringComparison.Ordinal);
    }
}
