using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Doris.Sandbox;

/// <summary>The fleet what-if as people read it (aligned tables) and as scripts read it (<c>-o json</c>).</summary>
public static class FleetReport
{
    public static string Text(FleetWhatIf whatIf)
    {
        ArgumentNullException.ThrowIfNull(whatIf);
        var text = new StringBuilder();
        text.Append(SandboxReport.Table(["NODE GROUP", "MIN", "MAX", "NOW", "PEAK", "REST", "LAUNCHED", "PODS/NODE", "PODS"], whatIf.Groups.Select(g => new[]
        {
            g.Name, I(g.Min), g.Max is { } max ? I(max) : g.CpuLimit is { } limit ? $"{I(limit)}c" : "-", I(g.Now), I(g.Peak), I(g.AtRest),
            g.Shortages > 0 ? $"{I(g.Launched)} ({I(g.Shortages)} short)" : I(g.Launched),
            g.MostPodsOnANode == 0 ? "-" : $"{g.PodsPerNode.ToString("0.#", CultureInfo.InvariantCulture)} (max {I(g.MostPodsOnANode)})",
            string.Join(" ", g.Pods.Select(p => $"{p.Key}:{I(p.Value)}")),
        })));
        text.Append("REST: nodes left once empty ones are scaled down (never below MIN); MAX for a Karpenter pool is its CPU limit; no instance prices are known here, so no cost is shown\n");

        if (whatIf.Cn is { } cn)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nCN autoscaler maxReplicas {cn.MaxReplicas}: ");
            text.Append(cn.Groups.Count == 0
                ? "no node group accepts a CN pod"
                : string.Join(", ", cn.Groups.Select(c => $"{c.Group} holds {c.PerNode} per {c.InstanceType}, {c.AtMaximum} at its maximum"))
                  + (cn.Fits ? $"; {cn.Total} in all: fits" : $"; {cn.Total} in all: {cn.MaxReplicas - cn.Total} CN(s) would never schedule"));
            text.Append('\n');
        }

        if (whatIf.Zones.Count > 0)
        {
            text.Append('\n');
            text.Append(SandboxReport.Table(["ZONE", "SUBNETS", "USABLE IPS", "PLANNED AT MAX", "IN USE NOW", "WITHIN PLAN"], whatIf.Zones.Select(z => new[]
            {
                z.Name, string.Join(",", z.Subnets), I(z.Usable), I(z.Planned), I(z.InUse), z.WithinPlan ? "yes" : "NO",
            })));
        }

        if (whatIf.Unplaceable.Count > 0)
        {
            text.Append("\npods no node group could take, and why for each group:\n");
            foreach (var stuck in whatIf.Unplaceable)
            {
                text.Append("  ").Append(stuck.Pod).Append(": ").Append(string.Join("; ", stuck.Reasons)).Append('\n');
            }
        }

        return text.ToString();
    }

    public static JsonObject Json(FleetWhatIf whatIf)
    {
        ArgumentNullException.ThrowIfNull(whatIf);
        return new JsonObject
        {
            ["autoscaler"] = whatIf.Autoscaler,
            ["groups"] = new JsonArray([.. whatIf.Groups.Select(g => (JsonNode)new JsonObject
            {
                ["name"] = g.Name,
                ["capacityType"] = g.Spot ? "spot" : "on-demand",
                ["min"] = g.Min,
                ["max"] = g.Max,
                ["cpuLimit"] = g.CpuLimit,
                ["now"] = g.Now,
                ["peak"] = g.Peak,
                ["atRest"] = g.AtRest,
                ["launched"] = g.Launched,
                ["spotShortages"] = g.Shortages,
                ["removalsHeldByBudget"] = g.BudgetBlocked,
                ["podsPerNode"] = g.PodsPerNode,
                ["mostPodsOnANode"] = g.MostPodsOnANode,
                ["pods"] = new JsonObject([.. g.Pods.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
            })]),
            ["cn"] = whatIf.Cn is not { } cn ? null : new JsonObject
            {
                ["maxReplicas"] = cn.MaxReplicas,
                ["fits"] = cn.Fits,
                ["total"] = cn.Total,
                ["groups"] = new JsonArray([.. cn.Groups.Select(c => (JsonNode)new JsonObject { ["group"] = c.Group, ["instanceType"] = c.InstanceType, ["perNode"] = c.PerNode, ["atMaximum"] = c.AtMaximum })]),
            },
            ["zones"] = new JsonArray([.. whatIf.Zones.Select(z => (JsonNode)new JsonObject
            {
                ["zone"] = z.Name,
                ["subnets"] = new JsonArray([.. z.Subnets.Select(s => (JsonNode)s)]),
                ["usableIps"] = z.Usable,
                ["plannedAtMaximum"] = z.Planned,
                ["inUse"] = z.InUse,
                ["withinPlan"] = z.WithinPlan,
            })]),
            ["unplaceable"] = new JsonArray([.. whatIf.Unplaceable.Select(u => (JsonNode)new JsonObject
            {
                ["pod"] = u.Pod,
                ["reasons"] = new JsonArray([.. u.Reasons.Select(r => (JsonNode)r)]),
            })]),
        };
    }

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
}
