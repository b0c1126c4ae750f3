using Doris.Eks.Instances;
using Doris.Eks.Planning;

namespace Doris.Eks.Lint;

/// <summary>Rules 6 and 15: where Doris data may live, and who handles interruptions.</summary>
internal static class PlacementRules
{
    public static IEnumerable<LintFinding> StatefulGroups(LintInput input, InstanceCatalog catalog)
    {
        foreach (var g in input.Groups.Where(g => g.Stateful))
        {
            if (g.Zones.Count != 1)
            {
                yield return new("EKS006", LintSeverity.Error, g.Path + ".availabilityZones", $"a {g.Role.ToUpperInvariant()} group spans {(g.Zones.Count == 0 ? "all" : g.Zones.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} zones; cluster-autoscaler cannot add a node in the zone of a pending pod's EBS volume", "make one group per zone, each with a single availabilityZones entry");
            }

            if (g.Spot)
            {
                yield return new("EKS006", LintSeverity.Error, g.Path, $"a {g.Role.ToUpperInvariant()} group runs on Spot; a 2-minute notice is not enough to move Doris data", "use on-demand capacity for FE and BE, and put CNs on Spot");
            }

            if (g.Labels.GetValueOrDefault(PlanDefaults.TypeLabel) is { } type && type != "ondemand")
            {
                yield return new("EKS006", LintSeverity.Error, $"{g.Path}.labels.{PlanDefaults.TypeLabel}", $"'{type}' on a {g.Role.ToUpperInvariant()} group", "label stateful groups node.spotmax/type: ondemand");
            }
        }
    }

    public static IEnumerable<LintFinding> InterruptionHandler(LintInput input, InstanceCatalog catalog)
    {
        foreach (var g in input.Groups)
        {
            var nth = g.Tags.ContainsKey(PlanDefaults.NthManagedTag);
            if (g.Managed && nth)
            {
                yield return new("EKS015", LintSeverity.Warning, $"{g.Path}.tags.{PlanDefaults.NthManagedTag}", "managed node groups drain Spot nodes themselves; the termination handler would act twice", "remove the tag and do not run aws-node-termination-handler for managed groups");
            }
            else if (!g.Managed && g.Spot && !nth)
            {
                yield return new("EKS015", LintSeverity.Warning, g.Path + ".tags", "a self-managed Spot group with no interruption handler: pods are killed at the 2-minute mark instead of drained", $"run aws-node-termination-handler in queue mode and tag the group {PlanDefaults.NthManagedTag}: \"true\"");
            }
            else if (!g.Managed && !g.Spot && g.Stateful && !nth && !(g.Node["asgSuspendProcesses"]?.ToJsonString().Contains("AZRebalance", StringComparison.Ordinal) ?? false))
            {
                yield return new("EKS015", LintSeverity.Warning, g.Path, "AZ rebalancing or scale-in can terminate a node holding a BE volume without draining it", $"suspend AZRebalance (asgSuspendProcesses: [AZRebalance]) and tag the group {PlanDefaults.NthManagedTag} for lifecycle draining");
            }
        }
    }
}
