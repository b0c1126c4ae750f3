using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doris.Eks.Instances;
using Doris.Eks.Planning;

namespace Doris.Eks.Lint;

/// <summary>Rules 4, 5, 7 and 8: how cluster-autoscaler finds, templates, balances and prioritises the groups.</summary>
internal static class AutoscalerRules
{
    private const string Prefix = "k8s.io/cluster-autoscaler/";

    public static IEnumerable<LintFinding> DiscoveryTags(LintInput input, InstanceCatalog catalog)
    {
        var cluster = input.ClusterName;
        foreach (var g in input.Groups.Where(g => !g.Managed))
        {
            var eksctlAddsTags = LintGroup.IsTrue(g.Node["iam"]?["withAddonPolicies"]?["autoScaler"]);
            var tags = g.Tags;
            if (!eksctlAddsTags && !(tags.ContainsKey(Prefix + "enabled") && tags.ContainsKey(Prefix + cluster)))
            {
                yield return new("EKS004", LintSeverity.Error, g.Path + ".tags", $"the ASG lacks the discovery tags {Prefix}enabled and {Prefix}{cluster}, so cluster-autoscaler never scales it", $"add both tags to the group (and give cluster-autoscaler its own Pod Identity role, not the node role: EKS024)");
            }

            foreach (var key in tags.Keys.Where(k => k.StartsWith(Prefix, StringComparison.Ordinal) && !k.Contains("/node-template/", StringComparison.Ordinal) && k != Prefix + "enabled" && k != Prefix + cluster))
            {
                yield return new("EKS004", LintSeverity.Error, $"{g.Path}.tags.{key}", $"names a cluster other than '{cluster}'", $"use {Prefix}{cluster}");
            }
        }

        if (input.AutoscalerFlags is { } flags)
        {
            if (flags.Any(f => f.StartsWith("--nodes", StringComparison.Ordinal)))
            {
                yield return new("EKS004", LintSeverity.Error, "cluster-autoscaler.args", "--nodes lists groups by hand next to auto-discovery", "remove --nodes and rely on --node-group-auto-discovery");
            }

            var discovery = flags.FirstOrDefault(f => f.StartsWith("--node-group-auto-discovery", StringComparison.Ordinal));
            if (discovery is null || !discovery.Contains(Prefix + "enabled", StringComparison.Ordinal) || cluster.Length > 0 && !discovery.Contains(Prefix + cluster, StringComparison.Ordinal))
            {
                yield return new("EKS004", LintSeverity.Error, "cluster-autoscaler.args", $"auto-discovery is missing or does not require both tags, so groups of other clusters may be picked up", $"--node-group-auto-discovery=asg:tag={Prefix}enabled,{Prefix}{cluster}");
            }
        }
    }

    public static IEnumerable<LintFinding> TemplateTags(LintInput input, InstanceCatalog catalog)
    {
        foreach (var g in input.Groups)
        {
            foreach (var (key, _) in g.Labels)
            {
                var ns = key.Contains('/', StringComparison.Ordinal) ? key[..key.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
                if (ns.EndsWith("kubernetes.io", StringComparison.Ordinal) || ns.EndsWith("k8s.io", StringComparison.Ordinal))
                {
                    yield return new("EKS005", LintSeverity.Error, $"{g.Path}.labels.{key}", "kubelet may not set labels in the kubernetes.io / k8s.io namespaces", "use your own prefix, e.g. node.spotmax/");
                }
            }

            if (g.Managed)
            {
                continue; // cluster-autoscaler reads labels and taints of managed groups from the EKS API
            }

            var tags = g.Tags;
            foreach (var (key, value) in g.Labels)
            {
                if (!tags.TryGetValue($"{Prefix}node-template/label/{key}", out var tagged) || tagged != value)
                {
                    yield return new("EKS005", g.MinSize == 0 ? LintSeverity.Error : LintSeverity.Warning, $"{g.Path}.labels.{key}",
                        $"no matching node-template label tag, so cluster-autoscaler cannot tell that a scaled-to-zero group carries {key}={value}",
                        $"add tag {Prefix}node-template/label/{key}: \"{value}\"");
                }
            }

            foreach (var (key, value, effect) in g.Taints)
            {
                var tagKey = $"{Prefix}node-template/taint/{key}";
                if (!tags.TryGetValue(tagKey, out var tagged))
                {
                    yield return new("EKS005", g.MinSize == 0 ? LintSeverity.Error : LintSeverity.Warning, $"{g.Path}.taints",
                        $"taint {key} has no node-template taint tag, so cluster-autoscaler may scale this group up for pods that do not tolerate it", $"add tag {tagKey}: \"{value}:{effect}\"");
                }
                else if (!Regex.IsMatch(tagged, ":(NoSchedule|NoExecute|PreferNoSchedule)$"))
                {
                    yield return new("EKS005", LintSeverity.Error, $"{g.Path}.tags.{tagKey}", $"'{tagged}' has no :Effect suffix and cluster-autoscaler silently ignores it", $"write it as \"{value}:{effect}\"");
                }
            }
        }
    }

    public static IEnumerable<LintFinding> BalancedSiblings(LintInput input, InstanceCatalog catalog)
    {
        var siblings = input.Groups.Where(g => g.Zones.Count == 1)
            .GroupBy(g => string.Join(",", g.InstanceTypes) + "|" + g.Labels.GetValueOrDefault(PlanDefaults.TeamLabel) + "|" + g.Labels.GetValueOrDefault(PlanDefaults.SpecLabel) + "|" + g.Spot)
            .Where(s => s.Count() > 1 && s.Select(g => g.Zones[0]).Distinct().Count() > 1)
            .ToList();
        foreach (var set in siblings)
        {
            var first = set.First();
            foreach (var g in set.Skip(1))
            {
                var differing = g.Labels.Where(l => first.Labels.GetValueOrDefault(l.Key) != l.Value).Select(l => l.Key)
                    .Concat(first.Labels.Keys.Where(k => !g.Labels.ContainsKey(k))).Distinct().ToList();
                if (differing.Count > 0)
                {
                    yield return new("EKS007", LintSeverity.Warning, g.Path + ".labels", $"differs from its zone sibling {first.Name} in {string.Join(", ", differing)}, which opts both out of --balance-similar-node-groups", "give per-zone siblings identical labels");
                }
            }

            if (input.AutoscalerFlags is { } flags && !flags.Contains("--balance-similar-node-groups=true") && !flags.Contains("--balance-similar-node-groups"))
            {
                yield return new("EKS007", LintSeverity.Warning, "cluster-autoscaler.args", $"per-zone siblings ({string.Join(", ", set.Select(g => g.Name))}) exist but balancing is off, so one zone grows while others stay empty", "add --balance-similar-node-groups=true");
            }
        }
    }

    public static IEnumerable<LintFinding> Expander(LintInput input, InstanceCatalog catalog)
    {
        var groups = input.Groups;
        var fallbacks = groups.GroupBy(g => g.Labels.GetValueOrDefault(PlanDefaults.TeamLabel) + "|" + g.Labels.GetValueOrDefault(PlanDefaults.SpecLabel))
            .Where(s => s.Any(g => g.Spot) && s.Any(g => !g.Spot) && s.Key != "|").ToList();
        if (input.AutoscalerFlags is { } flags)
        {
            var expander = flags.FirstOrDefault(f => f.StartsWith("--expander", StringComparison.Ordinal))?.Split('=').ElementAtOrDefault(1) ?? "random";
            if (expander.Split(',').Contains("price"))
            {
                yield return new("EKS008", LintSeverity.Error, "cluster-autoscaler.args", "the price expander only works on GCE/GKE, not AWS", "use --expander=priority,least-waste");
            }
            else if (fallbacks.Count > 0 && !expander.StartsWith("priority", StringComparison.Ordinal))
            {
                yield return new("EKS008", LintSeverity.Warning, "cluster-autoscaler.args", $"expander '{expander}' ignores that Spot groups should be tried before their on-demand fallbacks", "use --expander=priority,least-waste with a priority ConfigMap");
            }
        }

        if (input.PriorityExpander is not { } cm)
        {
            if (fallbacks.Count > 0)
            {
                yield return new("EKS008", LintSeverity.Warning, "nodeGroups", $"Spot and on-demand groups serve the same team and spec ({string.Join(", ", fallbacks.Select(f => f.Key.Replace('|', '/')))}) without a priority expander, so cluster-autoscaler picks one at random", "add the cluster-autoscaler-priority-expander ConfigMap with the Spot groups at the higher priority");
            }

            yield break;
        }

        var text = LintGroup.Str(cm["data"]?["priorities"]) ?? string.Empty;
        var entries = ParsePriorities(text, out var duplicate);
        if (duplicate is not null)
        {
            yield return new("EKS008", LintSeverity.Error, "cluster-autoscaler-priority-expander.data.priorities", $"priority {duplicate} appears twice and only one list is used", "give every priority its own integer");
        }

        var names = groups.Select(g => g.Name).ToList();
        foreach (var (priority, pattern) in entries)
        {
            Regex? regex = null;
            try
            {
                regex = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                // reported below as matching nothing
            }

            if (regex is null || !names.Any(regex.IsMatch))
            {
                yield return new("EKS008", LintSeverity.Warning, "cluster-autoscaler-priority-expander.data.priorities", $"'{pattern}' (priority {priority}) matches no node group", "fix the pattern or remove it");
            }
        }

        foreach (var set in fallbacks)
        {
            int? PriorityOf(LintGroup g) => entries.Where(e => Regex.IsMatch(g.Name, e.Pattern)).Select(e => (int?)e.Priority).Max();
            var spot = set.Where(g => g.Spot).Select(PriorityOf).Min();
            var onDemand = set.Where(g => !g.Spot).Select(PriorityOf).Max();
            if (spot is null || onDemand is not null && spot <= onDemand)
            {
                yield return new("EKS008", LintSeverity.Warning, "cluster-autoscaler-priority-expander.data.priorities", $"for {set.Key.Replace('|', '/')} the Spot groups are not above their on-demand fallback", "give the Spot groups a higher priority than the on-demand ones");
            }
        }
    }

    /// <summary>The expander's YAML: <c>priority:</c> lines, each followed by <c>- regex</c> lines.</summary>
    internal static List<(int Priority, string Pattern)> ParsePriorities(string text, out int? duplicate)
    {
        var result = new List<(int, string)>();
        var seen = new HashSet<int>();
        duplicate = null;
        int? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.EndsWith(':') && int.TryParse(line[..^1], out var p))
            {
                current = p;
                if (!seen.Add(p))
                {
                    duplicate = p;
                }
            }
            else if (line.StartsWith('-') && current is { } c)
            {
                result.Add((c, line[1..].Trim().Trim('"', '\'')));
            }
        }

        return result;
    }
}
