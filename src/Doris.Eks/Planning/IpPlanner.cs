using Doris.Eks.Blueprints;
using Doris.Eks.Instances;

namespace Doris.Eks.Planning;

/// <summary>
/// Worst-case subnet addresses per node and per zone (VPC CNI warm-pool rules): a node at its pod limit holds
/// every ENI's addresses in secondary-IP mode, or enough /28 prefixes plus one spare and the ENI primaries in
/// prefix mode. A multi-zone group is assumed spread evenly; a zonal group counts fully in its zone.
/// </summary>
public static class IpPlanner
{
    /// <summary>The headroom the plan keeps for load balancers, endpoints and control-plane ENIs.</summary>
    public const double Headroom = 0.10;

    public static int IpsPerNode(InstanceType type, int maxPods, bool prefixDelegation)
    {
        ArgumentNullException.ThrowIfNull(type);
        return prefixDelegation ? IpsInUse(type, maxPods, prefixDelegation) : type.Enis * type.Ipv4PerEni;
    }

    /// <summary>
    /// Addresses a node holds with this many pods (not on the host network): in secondary-IP mode every attached
    /// ENI's addresses, with the ENIs the pods need plus one warm (WARM_ENI_TARGET=1); in prefix mode the /28
    /// prefixes the pods need plus one warm (WARM_PREFIX_TARGET=1) and each ENI's primary address.
    /// </summary>
    public static int IpsInUse(InstanceType type, int pods, bool prefixDelegation)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!prefixDelegation)
        {
            var forPods = Math.Max(1, (int)Math.Ceiling(pods / (double)(type.Ipv4PerEni - 1)));
            return Math.Min(type.Enis, forPods + 1) * type.Ipv4PerEni;
        }

        var prefixes = (int)Math.Ceiling(pods / (double)MaxPodsCalculator.IpsPerPrefix) + 1;
        var enis = Math.Min(type.Enis, (int)Math.Ceiling(prefixes / (double)(type.Ipv4PerEni - 1)));
        return (prefixes * MaxPodsCalculator.IpsPerPrefix) + enis;
    }

    public static IReadOnlyList<SubnetPlan> Plan(Blueprint blueprint, IReadOnlyList<NodeGroupPlan> groups)
    {
        var pd = blueprint.PrefixDelegation == true;
        var result = new List<SubnetPlan>();
        foreach (var subnet in blueprint.Vpc!.Subnets!)
        {
            long needed = 0;
            foreach (var g in groups.Where(g => g.Zones.Contains(subnet.Zone!)))
            {
                var nodes = (int)Math.Ceiling(g.MaxSize / (double)g.Zones.Count);
                needed += (long)nodes * IpsPerNode(g.Base, g.MaxPods, pd);
            }

            needed = (long)Math.Ceiling(needed * (1 + Headroom));
            result.Add(new SubnetPlan(subnet.Zone!, subnet.Id!, subnet.Cidr!, Ipv4Cidr.TryParse(subnet.Cidr)!.UsableAddresses, needed));
        }

        return result;
    }
}
