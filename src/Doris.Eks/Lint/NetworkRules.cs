using System.Globalization;
using Doris.Eks.Blueprints;
using Doris.Eks.Instances;
using Doris.Eks.Planning;

namespace Doris.Eks.Lint;

/// <summary>Rules 9-11: prefix delegation, warm pools and whether the subnets can hold the pods.</summary>
internal static class NetworkRules
{
    public static IEnumerable<LintFinding> PrefixDelegation(LintInput input, InstanceCatalog catalog)
    {
        if (input.CniEnv.GetValueOrDefault("ENABLE_PREFIX_DELEGATION") != "true")
        {
            yield break;
        }

        foreach (var g in input.Groups)
        {
            var types = InstanceRules.Known(g, catalog, out _);
            foreach (var t in types.Where(t => !t.Nitro))
            {
                yield return new("EKS009", LintSeverity.Error, g.InstanceTypesPath, $"{t.Name} is not a Nitro instance and cannot use prefix delegation", "use Nitro instance types in this group");
            }

            var maxPods = LintGroup.Int(g.Node["maxPodsPerNode"]);
            var cap = types.Count > 0 ? MaxPodsCalculator.Ceiling(types.Min(t => t.Vcpu)) : MaxPodsCalculator.LowCpuCeiling;
            if (maxPods is null)
            {
                yield return new("EKS009", LintSeverity.Error, g.Path + ".maxPodsPerNode", "unset: node images compute maxPods with the secondary-IP formula and waste the prefixes", $"set maxPodsPerNode (at most {cap} for these instances)");
            }
            else if (maxPods > cap)
            {
                yield return new("EKS009", LintSeverity.Error, g.Path + ".maxPodsPerNode", $"{maxPods} is above the EKS ceiling of {cap} for this instance size", $"set maxPodsPerNode: {cap} or lower");
            }
        }

        if (input.CniEnv.GetValueOrDefault("WARM_PREFIX_TARGET") == "0" && Number(input.CniEnv, "WARM_IP_TARGET") is null or 0 && Number(input.CniEnv, "MINIMUM_IP_TARGET") is null or 0)
        {
            yield return new("EKS009", LintSeverity.Error, "vpc-cni.env.WARM_PREFIX_TARGET", "0 with no WARM_IP_TARGET/MINIMUM_IP_TARGET is not supported in prefix mode", "set WARM_PREFIX_TARGET: 1");
        }
    }

    public static IEnumerable<LintFinding> WarmPool(LintInput input, InstanceCatalog catalog)
    {
        var env = input.CniEnv;
        if (Number(env, "MINIMUM_IP_TARGET") is > 0 && Number(env, "WARM_IP_TARGET") is null or 0)
        {
            yield return new("EKS010", LintSeverity.Error, "vpc-cni.env.MINIMUM_IP_TARGET", "set without WARM_IP_TARGET, so once the minimum is used no more addresses are allocated and new pods fail", "also set WARM_IP_TARGET (e.g. 2)");
        }

        var nodes = input.Groups.Sum(g => g.MaxSize);
        if (Number(env, "WARM_IP_TARGET") is > 0 && nodes > 50)
        {
            yield return new("EKS010", LintSeverity.Warning, "vpc-cni.env.WARM_IP_TARGET", $"per-IP warm targets on up to {nodes} nodes make many EC2 API calls and risk throttling", "prefer WARM_ENI_TARGET (default 1) or prefix delegation for large clusters");
        }
    }

    public static IEnumerable<LintFinding> SubnetCapacity(LintInput input, InstanceCatalog catalog)
    {
        if (input.ClusterConfig?["vpc"]?["subnets"]?["private"] is not System.Text.Json.Nodes.JsonObject subnets)
        {
            yield break;
        }

        var pd = input.CniEnv.GetValueOrDefault("ENABLE_PREFIX_DELEGATION") == "true";
        foreach (var (zone, subnet) in subnets)
        {
            if (Ipv4Cidr.TryParse(LintGroup.Str(subnet?["cidr"])) is not { } cidr)
            {
                continue;
            }

            long needed = 0;
            foreach (var g in input.Groups)
            {
                var zones = g.Zones.Count > 0 ? g.Zones : [.. subnets.Select(s => s.Key)];
                if (!zones.Contains(zone) || InstanceRules.Known(g, catalog, out _) is not { Count: > 0 } types)
                {
                    continue;
                }

                var maxPods = LintGroup.Int(g.Node["maxPodsPerNode"]) ?? types[0].MaxPods;
                needed += (long)Math.Ceiling(g.MaxSize / (double)zones.Count) * IpPlanner.IpsPerNode(types[0], maxPods, pd);
            }

            if (needed > cidr.UsableAddresses)
            {
                yield return new("EKS011", LintSeverity.Error, $"vpc.subnets.private.{zone}.cidr", $"{LintGroup.Str(subnet?["cidr"])} has {cidr.UsableAddresses} usable addresses but the groups in {zone} can need {needed} at maximum size", "use a larger subnet, lower maxSize or enable prefix delegation");
            }
        }
    }

    private static int? Number(IReadOnlyDictionary<string, string> env, string key) =>
        env.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
