using Doris.Eks.Instances;
using Doris.Eks.Planning;

namespace Doris.Eks.Lint;

/// <summary>Rules 1-3: what a node group's instance types must have in common, and Spot diversification.</summary>
internal static class InstanceRules
{
    private static readonly string[] CapacityStrategies = ["capacity-optimized", "price-capacity-optimized", "capacity-optimized-prioritized"];

    public static IEnumerable<LintFinding> UniformShape(LintInput input, InstanceCatalog catalog)
    {
        foreach (var g in input.Groups)
        {
            var types = Known(g, catalog, out var unknown);
            foreach (var name in unknown)
            {
                yield return new("EKS001", LintSeverity.Warning, g.InstanceTypesPath, $"{name} is not in the instance table, so its shape cannot be checked", "fix the name, or pass --instance-data with a complete table");
            }

            if (types.Count == 0)
            {
                continue;
            }

            var first = types[0];
            foreach (var t in types.Skip(1).Where(t => t.Vcpu != first.Vcpu || t.MemoryMib != first.MemoryMib))
            {
                yield return new("EKS001", LintSeverity.Error, g.InstanceTypesPath,
                    $"{t.Name} ({t.Vcpu} vCPU, {t.MemoryMib} MiB) differs from the first type {first.Name} ({first.Vcpu} vCPU, {first.MemoryMib} MiB); cluster-autoscaler sizes every node of the group like the first type",
                    $"keep only types with {first.Vcpu} vCPU and {first.MemoryMib} MiB in this group, or move {t.Name} to a group of its own");
            }

            if (g.Labels.GetValueOrDefault(PlanDefaults.SpecLabel) is { } specText && ShapeSpec.TryParse(specText, out var spec) && spec!.Exact && (first.Vcpu != spec.Vcpu || first.MemoryMib != spec.MemoryMib))
            {
                yield return new("EKS001", LintSeverity.Error, g.Path + ".labels." + PlanDefaults.SpecLabel,
                    $"the label says {specText} but the first type {first.Name} has {first.Vcpu} vCPU and {first.MemoryMib / 1024} GiB", "make the label match the instance types or the types match the label");
            }
        }
    }

    public static IEnumerable<LintFinding> UniformArchitectureAndPods(LintInput input, InstanceCatalog catalog)
    {
        foreach (var g in input.Groups)
        {
            var types = Known(g, catalog, out _);
            if (types.Select(t => t.Architecture).Distinct().Count() > 1)
            {
                yield return new("EKS002", LintSeverity.Error, g.InstanceTypesPath, $"mixes architectures ({string.Join(", ", types.Select(t => $"{t.Name} {t.Architecture}"))}); one AMI serves one architecture", "split amd64 and arm64 types into separate groups");
            }

            // With prefix delegation each ENI slot holds a /28, so the ceiling per type is the prefix count.
            var prefix = input.CniEnv.GetValueOrDefault("ENABLE_PREFIX_DELEGATION") == "true";
            var pods = types.Select(t => prefix ? t.MaxPodsPrefixDelegation : t.MaxPods).Distinct().ToList();
            var explicitMax = LintGroup.Int(g.Node["maxPodsPerNode"]);
            if (pods.Count > 1 && (explicitMax is null || explicitMax > pods.Min()))
            {
                yield return new("EKS002", LintSeverity.Warning, g.InstanceTypesPath,
                    $"the types allow different pod counts ({string.Join(", ", types.Select(t => $"{t.Name} {(prefix ? t.MaxPodsPrefixDelegation : t.MaxPods)}"))}), so pods capacity and kube-reserved memory differ between nodes and balancing breaks",
                    $"set maxPodsPerNode: {pods.Min()} or use types with the same ENI layout");
            }
        }
    }

    public static IEnumerable<LintFinding> SpotDiversification(LintInput input, InstanceCatalog catalog)
    {
        foreach (var g in input.Groups.Where(g => g.Spot))
        {
            var types = g.InstanceTypes;
            var families = types.Select(t => t.Split('.')[0]).Distinct().Count();
            if (types.Count < 3 || families < 2)
            {
                yield return new("EKS003", LintSeverity.Warning, g.InstanceTypesPath, $"a Spot group with {types.Count} type(s) from {families} famil{(families == 1 ? "y" : "ies")} draws on few capacity pools and is interrupted more often", "list at least 3 (better 4 or more) same-shape types from 2 or more families");
            }
            else if (types.Count < 4)
            {
                yield return new("EKS003", LintSeverity.Warning, g.InstanceTypesPath, $"{types.Count} Spot types; each added type is another capacity pool", "add a fourth same-shape type (another family or generation)");
            }

            if (types.Count > 20)
            {
                yield return new("EKS003", LintSeverity.Error, g.InstanceTypesPath, $"{types.Count} types; eksctl accepts at most 20 per group", "keep 20 or fewer");
            }

            if (g.Managed)
            {
                continue;
            }

            var dist = g.Node["instancesDistribution"];
            var path = g.Path + ".instancesDistribution";
            if (LintGroup.Int(dist?["onDemandPercentageAboveBaseCapacity"]) is not 0)
            {
                yield return new("EKS003", LintSeverity.Warning, path + ".onDemandPercentageAboveBaseCapacity", "not 0, so part of a Spot group is billed on-demand (the default is 100%)", "set onDemandPercentageAboveBaseCapacity: 0");
            }

            var strategy = LintGroup.Str(dist?["spotAllocationStrategy"]);
            if (!CapacityStrategies.Contains(strategy))
            {
                yield return new("EKS003", LintSeverity.Warning, path + ".spotAllocationStrategy", $"'{strategy ?? "lowest-price (default)"}' picks pools by price, not by spare capacity, so interruptions are more frequent", "use capacity-optimized or price-capacity-optimized");
            }

            if (dist?["spotInstancePools"] is not null && strategy is "capacity-optimized" or "capacity-optimized-prioritized")
            {
                yield return new("EKS003", LintSeverity.Error, path + ".spotInstancePools", $"eksctl rejects spotInstancePools with {strategy}", "remove spotInstancePools");
            }

            if (!LintGroup.IsTrue(dist?["capacityRebalance"]))
            {
                yield return new("EKS003", LintSeverity.Warning, path + ".capacityRebalance", "not enabled, so the ASG does not launch a replacement when EC2 signals a Spot node is at risk", "set capacityRebalance: true");
            }
        }
    }

    internal static IReadOnlyList<InstanceType> Known(LintGroup g, InstanceCatalog catalog, out IReadOnlyList<string> unknown)
    {
        var known = new List<InstanceType>();
        var missing = new List<string>();
        foreach (var name in g.InstanceTypes)
        {
            if (catalog.Find(name) is { } t)
            {
                known.Add(t);
            }
            else
            {
                missing.Add(name);
            }
        }

        unknown = missing;
        return known;
    }
}
