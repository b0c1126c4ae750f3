using System.Text;
using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;
using Doris.Eks.Planning;

namespace Doris.Eks.Artefacts;

/// <summary>cluster-autoscaler: the ASG tags it discovers and templates from, its flags, and the priority-expander ConfigMap.</summary>
public static class ClusterAutoscalerBuilder
{
    public const string Prefix = "k8s.io/cluster-autoscaler/";

    public static IReadOnlyDictionary<string, string> GroupTags(Blueprint b, NodeGroupPlan g)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Prefix + "enabled"] = "true",
            [Prefix + b.Name] = "owned",
        };
        foreach (var (k, v) in g.Labels)
        {
            tags[$"{Prefix}node-template/label/{k}"] = v;
        }

        foreach (var t in g.Taints)
        {
            tags[$"{Prefix}node-template/taint/{t.Key}"] = $"{t.Value}:{t.Effect}";
        }

        tags[$"{Prefix}node-template/resources/pods"] = g.MaxPods.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return tags;
    }

    public static IReadOnlyList<string> Flags(Blueprint b) =>
    [
        "--cloud-provider=aws",
        $"--node-group-auto-discovery=asg:tag={Prefix}enabled,{Prefix}{b.Name}",
        "--expander=priority,least-waste",
        "--balance-similar-node-groups=true",
        "--balancing-ignore-label=eks.amazonaws.com/nodegroup-image",
        "--balancing-ignore-label=eks.amazonaws.com/sourceLaunchTemplateId",
        "--balancing-ignore-label=eks.amazonaws.com/sourceLaunchTemplateVersion",
        "--skip-nodes-with-local-storage=true",
        "--skip-nodes-with-system-pods=true",
        "--scale-down-utilization-threshold=0.5",
        "--scale-down-unneeded-time=10m",
        "--scale-down-delay-after-add=10m",
        "--max-node-provision-time=5m",
        "--max-graceful-termination-sec=600",
    ];

    /// <summary>The expander priority of each group (higher is tried first); per-zone siblings share one.</summary>
    public static IReadOnlyDictionary<string, int> Priorities(IReadOnlyList<NodeGroupPlan> groups)
    {
        var families = groups.GroupBy(g => (g.Spot, g.Pool.Team, g.Pool.Spec, g.Role))
            .OrderBy(f => f.Key.Spot ? 0 : 1).ThenBy(f => f.Min(g => g.Name), StringComparer.Ordinal).ToList();
        var priorities = new Dictionary<string, int>(StringComparer.Ordinal);
        var priority = 10 * (families.Count + 1);
        foreach (var family in families)
        {
            foreach (var g in family)
            {
                priorities[g.Name] = priority;
            }

            priority -= 10;
        }

        return priorities;
    }

    /// <summary>
    /// Spot groups above the on-demand groups of the same team and spec, so a starved Spot group falls back;
    /// each group matched by its own name (ASG names contain the node-group name). Per-zone siblings share one
    /// priority: a higher one for one zone would make cluster-autoscaler grow that zone only, defeating
    /// --balance-similar-node-groups.
    /// </summary>
    public static JsonObject PriorityExpander(IReadOnlyList<NodeGroupPlan> groups)
    {
        var text = new StringBuilder();
        foreach (var family in Priorities(groups).GroupBy(p => p.Value).OrderByDescending(f => f.Key))
        {
            text.Append(family.Key).Append(":\n");
            foreach (var (name, _) in family.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Append("  - .*").Append(System.Text.RegularExpressions.Regex.Escape(name)).Append(".*\n");
            }
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "cluster-autoscaler-priority-expander", ["namespace"] = "kube-system" },
            ["data"] = new JsonObject { ["priorities"] = text.ToString() },
        };
    }
}
