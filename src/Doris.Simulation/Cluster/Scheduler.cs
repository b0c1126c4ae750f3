using Doris.Kubernetes.Models;

namespace Doris.Simulation.Cluster;

/// <summary>
/// The scheduler's filters that decide where Doris pods can go: node readiness and cordon, node selectors,
/// required node affinity, taints and tolerations, and requests against allocatable CPU, memory and pod slots.
/// Among the nodes that fit, the emptiest wins (spreading, as the default scoring does). A pod that fits nowhere
/// gets <c>PodScheduled=False/Unschedulable</c> with the reasons counted, as <c>kubectl describe</c> shows them.
/// </summary>
internal static class Scheduler
{
    public static int Step(TypedStore store, IReadOnlyList<Node> nodes, IReadOnlyList<Pod> pods, DateTimeOffset now)
    {
        var used = new Dictionary<string, (decimal Cpu, decimal Memory, int Pods)>(StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => p.Spec?.NodeName is not null && !PodFacts.IsTerminal(p)))
        {
            var (cpu, memory) = PodFacts.Requests(pod);
            var u = used.GetValueOrDefault(pod.Spec!.NodeName!);
            used[pod.Spec.NodeName!] = (u.Cpu + cpu, u.Memory + memory, u.Pods + 1);
        }

        var bound = 0;
        var placed = new LabelIndex<Pod>(pods.Where(p => p.Spec?.NodeName is not null && !PodFacts.IsTerminal(p)), p => p.Metadata!.Namespace, p => p.Metadata!.Labels);
        var zoneOf = nodes.ToDictionary(n => n.Metadata!.Name!, n => n.Metadata!.Labels?.GetValueOrDefault(ZoneKey), StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => p.Spec?.NodeName is null && !PodFacts.IsTerminating(p)).OrderBy(p => p.Metadata!.CreationTimestamp).ThenBy(p => p.Metadata!.Name, StringComparer.Ordinal))
        {
            var (cpu, memory) = PodFacts.Requests(pod);
            var reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
            Node? best = null;
            decimal bestFree = -1;
            var bestSkew = int.MaxValue;
            var spread = Spread(pod, placed, zoneOf, nodes);
            foreach (var node in nodes)
            {
                var u = used.GetValueOrDefault(node.Metadata!.Name!);
                var reason = Reject(pod, node, u, cpu, memory);
                if (reason is not null)
                {
                    reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                    continue;
                }

                // Zone spread first (a DoNotSchedule constraint filters, ScheduleAnyway only scores), then the emptiest node.
                var skew = spread?.Skew(zoneOf[node.Metadata!.Name!]) ?? 0;
                if (spread is { Hard: true } && skew > spread.MaxSkew)
                {
                    reasons["node(s) didn't match pod topology spread constraints"] = reasons.GetValueOrDefault("node(s) didn't match pod topology spread constraints") + 1;
                    continue;
                }

                var free = (PodFacts.Allocatable(node, "cpu") - u.Cpu - cpu) / Math.Max(1, PodFacts.Allocatable(node, "cpu"));
                if (skew < bestSkew || (skew == bestSkew && free > bestFree))
                {
                    best = node;
                    bestFree = free;
                    bestSkew = skew;
                }
            }

            if (best is null)
            {
                var message = $"0/{nodes.Count} nodes are available: " + string.Join(", ", reasons.Select(r => $"{r.Value} {r.Key}")) + ".";
                var current = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
                if (current?.Message != message)
                {
                    store.TryUpdate(TypedStore.Pods, TypedStore.PodInfo, pod with
                    {
                        Status = (pod.Status ?? new PodStatus()) with
                        {
                            Phase = "Pending",
                            Conditions = [new PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = message, LastTransitionTime = now }],
                        },
                    }, status: true);
                }

                continue;
            }

            var name = best.Metadata!.Name!;
            if (store.TryUpdate(TypedStore.Pods, TypedStore.PodInfo, pod with { Spec = pod.Spec! with { NodeName = name } }))
            {
                var u = used.GetValueOrDefault(name);
                used[name] = (u.Cpu + cpu, u.Memory + memory, u.Pods + 1);
                bound++;
                placed.Add(pod with { Spec = pod.Spec! with { NodeName = name } });
            }
        }

        return bound;
    }

    private const string ZoneKey = "topology.kubernetes.io/zone";

    /// <summary>A pod's zone spread constraint: how many matching pods each zone has, and the skew a placement would make.</summary>
    private sealed record ZoneSpread(Dictionary<string, int> Counts, int MaxSkew, bool Hard)
    {
        public int Skew(string? zone)
        {
            if (zone is null)
            {
                return 0;
            }

            var after = new Dictionary<string, int>(Counts, StringComparer.Ordinal);
            after[zone] = after.GetValueOrDefault(zone) + 1;
            return after.Values.Max() - after.Values.Min();
        }
    }

    private static ZoneSpread? Spread(Pod pod, LabelIndex<Pod> placed, IReadOnlyDictionary<string, string?> zoneOf, IReadOnlyList<Node> nodes)
    {
        var constraint = pod.Spec?.TopologySpreadConstraints?.FirstOrDefault(t => t.TopologyKey == ZoneKey);
        if (constraint?.LabelSelector?.MatchLabels is not { } selector)
        {
            return null;
        }

        var counts = nodes.Select(n => zoneOf[n.Metadata!.Name!]).OfType<string>().Distinct(StringComparer.Ordinal).ToDictionary(z => z, _ => 0, StringComparer.Ordinal);
        foreach (var other in placed.Matching(pod.Metadata!.Namespace, selector))
        {
            if (zoneOf.GetValueOrDefault(other.Spec!.NodeName!) is { } zone)
            {
                counts[zone] = counts.GetValueOrDefault(zone) + 1;
            }
        }

        return new ZoneSpread(counts, constraint.MaxSkew ?? 1, constraint.WhenUnsatisfiable == "DoNotSchedule");
    }

    internal static string? Reject(Pod pod, Node node, (decimal Cpu, decimal Memory, int Pods) used, decimal cpu, decimal memory)
    {
        var labels = node.Metadata!.Labels ?? new Dictionary<string, string>();
        if (!PodFacts.IsNodeReady(node))
        {
            return "node(s) were not ready";
        }

        if (node.Spec?.Unschedulable == true)
        {
            return "node(s) were unschedulable";
        }

        if (pod.Spec!.NodeSelector is { } selector && selector.Any(kv => labels.GetValueOrDefault(kv.Key) != kv.Value))
        {
            return "node(s) didn't match Pod's node affinity/selector";
        }

        if (pod.Spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is { } required &&
            !(required.NodeSelectorTerms ?? []).Any(term => Matches(term, labels)))
        {
            return "node(s) didn't match Pod's node affinity/selector";
        }

        foreach (var taint in node.Spec?.Taints ?? [])
        {
            if (taint.Effect is "NoSchedule" or "NoExecute" && !(pod.Spec.Tolerations ?? []).Any(t => Tolerates(t, taint)))
            {
                return $"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}";
            }
        }

        if (used.Pods + 1 > PodFacts.Allocatable(node, "pods"))
        {
            return "Too many pods";
        }

        if (used.Cpu + cpu > PodFacts.Allocatable(node, "cpu"))
        {
            return "Insufficient cpu";
        }

        return used.Memory + memory > PodFacts.Allocatable(node, "memory") ? "Insufficient memory" : null;
    }

    internal static bool Matches(NodeSelectorTerm term, IReadOnlyDictionary<string, string> labels) =>
        (term.MatchExpressions ?? []).All(e =>
        {
            var has = labels.TryGetValue(e.Key!, out var value);
            return e.Operator switch
            {
                "In" => has && (e.Values ?? []).Contains(value),
                "NotIn" => !has || !(e.Values ?? []).Contains(value),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
        });

    internal static bool Tolerates(Toleration t, Taint taint) =>
        (string.IsNullOrEmpty(t.Effect) || t.Effect == taint.Effect) &&
        (t.Operator == "Exists"
            ? string.IsNullOrEmpty(t.Key) || t.Key == taint.Key
            : t.Key == taint.Key && (t.Value ?? string.Empty) == (taint.Value ?? string.Empty));
}
