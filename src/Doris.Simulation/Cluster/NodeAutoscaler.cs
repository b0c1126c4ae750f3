using System.Globalization;
using Doris.Kubernetes.Models;

namespace Doris.Simulation.Cluster;

/// <summary>
/// The planned fleet's node autoscaler, as cluster-autoscaler (priority expander, balance-similar-node-groups,
/// scale-down of empty nodes after the unneeded time) or Karpenter (the smallest type of the highest-weight pool
/// that fits, within the pool's CPU limit, empty nodes consolidated after consolidateAfter) behaves: a pod the
/// scheduler cannot place gets a node from the first group whose template would take it, after the node's start
/// time. What it did and what it could not do is kept for the report.
/// </summary>
public sealed class NodeAutoscaler(IReadOnlyList<NodeGroupShape> groups, TimeSpan? nodeStart = null)
{
    private readonly TimeSpan _nodeStart = nodeStart ?? TimeSpan.FromSeconds(45);
    private readonly List<(NodeShape Shape, DateTimeOffset ReadyAt)> _launching = [];
    private readonly Dictionary<string, DateTimeOffset> _emptySince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _peak = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _unplaceable = new(StringComparer.Ordinal);
    private int _launched;

    public IReadOnlyList<NodeGroupShape> Groups => groups;

    /// <summary>The most nodes each group had at once.</summary>
    public IReadOnlyDictionary<string, int> Peak => _peak;

    /// <summary>Pods no group could take even at its maximum, with why for each group.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Unplaceable => _unplaceable;

    /// <summary>
    /// Whether a launch in this group fails for lack of capacity (EC2's InsufficientInstanceCapacity, which Spot
    /// pools see): the autoscaler then tries the next group, as cluster-autoscaler backs off a failing group.
    /// </summary>
    public Func<NodeGroupShape, bool>? Shortage { get; set; }

    /// <summary>Launches that failed for lack of capacity, by group.</summary>
    public Dictionary<string, int> Shortages { get; } = new(StringComparer.Ordinal);

    /// <summary>Empty nodes kept a step longer because the pool's disruption budget allowed no more removals, by group.</summary>
    public Dictionary<string, int> BudgetBlocked { get; } = new(StringComparer.Ordinal);

    /// <summary>Nodes launched over the run, by group.</summary>
    public Dictionary<string, int> Launches { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How many pods like this one each group could hold at its maximum (per empty node of its first type that
    /// accepts the pod, times its maximum size or, for a Karpenter pool, its CPU limit in such nodes): the what-if
    /// for an autoscaler's maxReplicas.
    /// </summary>
    public IReadOnlyList<(string Group, string Type, int PerNode, int AtMaximum)> Capacity(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var (cpu, memory) = PodFacts.Requests(pod);
        var result = new List<(string, string, int, int)>();
        foreach (var g in groups)
        {
            foreach (var type in g.Karpenter ? g.Types.OrderBy(t => t.Vcpu) : g.Types.Take(1))
            {
                var shape = Shape(g, type, g.Zones[0], name: "what-if");
                if (Scheduler.Reject(pod, Template(shape), (0, 0, 0), cpu, memory) is not null)
                {
                    continue;
                }

                var perNode = Math.Min(type.MaxPods, Math.Min(cpu > 0 ? (int)Math.Floor(type.AllocatableCpuMilli / 1000m / cpu) : int.MaxValue, memory > 0 ? (int)Math.Floor(type.AllocatableMemoryMib * 1024m * 1024m / memory) : int.MaxValue));
                var nodes = g.Karpenter ? (g.CpuLimit ?? 0) / Math.Max(1, type.Vcpu) : g.Max;
                result.Add((g.Name, type.Name, perNode, perNode * nodes));
                break;
            }
        }

        return result;
    }

    /// <summary>The nodes every group starts with: its minimum, spread over its zones.</summary>
    public IReadOnlyList<NodeShape> InitialNodes() =>
        [.. groups.SelectMany(g => Enumerable.Range(0, g.Min).Select(i => Shape(g, g.Types[0], g.Zones[i % g.Zones.Count])))];

    /// <summary>Nodes whose start time has passed join the cluster (before the scheduler runs, so pods land on them).</summary>
    internal void Admit(SimulatedCluster cluster, DateTimeOffset now)
    {
        foreach (var ready in _launching.Where(l => l.ReadyAt <= now).ToList())
        {
            cluster.AddNodes([ready.Shape]);
            _launching.Remove(ready);
        }
    }

    internal void Step(TypedStore store, IReadOnlyList<Node> nodes, IReadOnlyList<Pod> pods, DateTimeOffset now)
    {
        var byGroup = nodes.GroupBy(n => n.Metadata?.Labels?.GetValueOrDefault(NodeShape.GroupLabel) ?? string.Empty).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        ScaleUp(byGroup, pods, now);
        ScaleDown(store, byGroup, pods, now);
        foreach (var g in groups)
        {
            var count = byGroup.GetValueOrDefault(g.Name)?.Count ?? 0;
            _peak[g.Name] = Math.Max(_peak.GetValueOrDefault(g.Name), count + _launching.Count(l => l.Shape.Group == g.Name));
        }
    }

    private void ScaleUp(Dictionary<string, List<Node>> byGroup, IReadOnlyList<Pod> pods, DateTimeOffset now)
    {
        // Room on nodes already on their way, so one pending pod asks for one node, not one per step.
        var room = _launching.Select(l => (l.Shape, Free: (Cpu: (decimal)l.Shape.AllocatableCpuMilli!.Value / 1000, Memory: (decimal)l.Shape.AllocatableMemoryMib!.Value * 1024 * 1024, Pods: l.Shape.MaxPods))).ToList();
        foreach (var pod in pods.Where(Pending).OrderBy(p => p.Metadata!.CreationTimestamp).ThenBy(p => p.Metadata!.Name, StringComparer.Ordinal))
        {
            var (cpu, memory) = PodFacts.Requests(pod);
            var slot = room.FindIndex(r => Scheduler.Reject(pod, Template(r.Shape), (0, 0, 0), cpu, memory) is null && r.Free.Cpu >= cpu && r.Free.Memory >= memory && r.Free.Pods > 0);
            if (slot >= 0)
            {
                var r = room[slot];
                room[slot] = (r.Shape, (r.Free.Cpu - cpu, r.Free.Memory - memory, r.Free.Pods - 1));
                continue;
            }

            var why = new List<string>();
            NodeShape? chosen = null;
            foreach (var g in groups.OrderByDescending(g => g.Priority).ThenBy(g => (byGroup.GetValueOrDefault(g.Name)?.Count ?? 0) + _launching.Count(l => l.Shape.Group == g.Name)))
            {
                if (Candidate(g, pod, cpu, memory, byGroup, why) is { } shape)
                {
                    if (g.Spot && Shortage?.Invoke(g) == true)
                    {
                        Shortages[g.Name] = Shortages.GetValueOrDefault(g.Name) + 1;
                        why.Add($"{g.Name}: no Spot capacity (InsufficientInstanceCapacity)");
                        continue;
                    }

                    chosen = shape with { Name = NodeName(++_launched, g) };
                    break;
                }
            }

            var key = $"{pod.Metadata!.Namespace}/{pod.Metadata.Name}";
            if (chosen is null)
            {
                _unplaceable[key] = why;
                continue;
            }

            _unplaceable.Remove(key);
            _launching.Add((chosen, now + _nodeStart));
            Launches[chosen.Group!] = Launches.GetValueOrDefault(chosen.Group!) + 1;
            room.Add((chosen, ((decimal)chosen.AllocatableCpuMilli!.Value / 1000 - cpu, (decimal)chosen.AllocatableMemoryMib!.Value * 1024 * 1024 - memory, chosen.MaxPods - 1)));
        }
    }

    // A node of this group for the pod, or null with the reason added to why.
    private NodeShape? Candidate(NodeGroupShape g, Pod pod, decimal cpu, decimal memory, Dictionary<string, List<Node>> byGroup, List<string> why)
    {
        var existing = byGroup.GetValueOrDefault(g.Name) ?? [];
        var launching = _launching.Where(l => l.Shape.Group == g.Name).Select(l => l.Shape).ToList();
        if (!g.Karpenter && existing.Count + launching.Count >= g.Max)
        {
            why.Add($"{g.Name}: at its maximum of {g.Max} node(s)");
            return null;
        }

        // Balance: the zone with the fewest of this group's nodes first.
        var zones = g.Zones.OrderBy(z => existing.Count(n => n.Metadata?.Labels?.GetValueOrDefault("topology.kubernetes.io/zone") == z) + launching.Count(l => l.Zone == z)).ThenBy(z => z, StringComparer.Ordinal);
        string? reason = null;
        foreach (var type in g.Karpenter ? g.Types.OrderBy(t => t.Vcpu).ThenBy(t => t.MemoryMib) : g.Types.Take(1))
        {
            if (g.Karpenter && g.CpuLimit is { } limit && existing.Sum(CapacityCpu) + launching.Sum(l => l.Cpu) + type.Vcpu > limit)
            {
                reason ??= $"{g.Name}: its limit of {limit} vCPU is reached";
                continue;
            }

            foreach (var zone in zones)
            {
                var shape = Shape(g, type, zone, name: "candidate");
                reason = Scheduler.Reject(pod, Template(shape), (0, 0, 0), cpu, memory);
                if (reason is null)
                {
                    return shape;
                }
            }
        }

        why.Add($"{g.Name} ({string.Join(", ", g.Types.Take(g.Karpenter ? 3 : 1).Select(t => $"{t.Name}: {t.AllocatableCpuMilli / 1000m:0.##} CPU, {t.AllocatableMemoryMib / 1024m:0.#} GiB allocatable"))}): {reason ?? "no type fits"}");
        return null;
    }

    private void ScaleDown(TypedStore store, Dictionary<string, List<Node>> byGroup, IReadOnlyList<Pod> pods, DateTimeOffset now)
    {
        var busy = pods.Where(p => p.Spec?.NodeName is not null && !PodFacts.IsTerminal(p)).Select(p => p.Spec!.NodeName!).ToHashSet(StringComparer.Ordinal);
        foreach (var g in groups)
        {
            var members = byGroup.GetValueOrDefault(g.Name) ?? [];
            var count = members.Count;
            // Karpenter removes empty nodes within the pool's budget for the Empty reason; cluster-autoscaler has no such budget.
            var allowed = g.Karpenter ? g.AllowedDisruptions("Empty", count) : int.MaxValue;
            foreach (var node in members.OrderByDescending(n => n.Metadata!.Name, StringComparer.Ordinal))
            {
                var name = node.Metadata!.Name!;
                if (busy.Contains(name) || node.Spec?.Unschedulable == true)
                {
                    _emptySince.Remove(name);
                    continue;
                }

                var since = _emptySince.TryGetValue(name, out var at) ? at : _emptySince[name] = now;
                if (count > g.Min && now - since >= g.EmptyFor)
                {
                    if (allowed <= 0)
                    {
                        BudgetBlocked[g.Name] = BudgetBlocked.GetValueOrDefault(g.Name) + 1;
                        continue;
                    }

                    store.TryDelete(TypedStore.Nodes, null, name);
                    _emptySince.Remove(name);
                    count--;
                    allowed--;
                }
            }
        }
    }

    // A node of the group; a what-if passes its own name so the launch counter (and so node names) is not touched.
    private NodeShape Shape(NodeGroupShape g, InstanceShape type, string zone, string? name = null)
    {
        name ??= NodeName(++_launched, g);
        return new NodeShape(name, zone, type.Name, g.Spot, type.Vcpu, type.MemoryMib / 1024, type.MaxPods)
        {
            Team = g.Team,
            Taints = g.Taints,
            ExtraLabels = g.Labels,
            AllocatableCpuMilli = type.AllocatableCpuMilli,
            AllocatableMemoryMib = type.AllocatableMemoryMib,
            Group = g.Name,
        };
    }

    private string NodeName(int n, NodeGroupShape g) => $"ip-10-{100 + (n / 250)}-{n % 250}-{groups.ToList().IndexOf(g) + 1}.ec2.internal";

    // The node a shape would become, for the scheduler's own fit check.
    private static Node Template(NodeShape shape) => new()
    {
        Metadata = new ObjectMeta { Name = shape.Name, Labels = shape.Labels() },
        Spec = new NodeSpec { Taints = shape.Taints.Count > 0 ? shape.Taints : null },
        Status = new NodeStatus
        {
            Allocatable = new Dictionary<string, Quantity>(StringComparer.Ordinal)
            {
                ["cpu"] = $"{shape.AllocatableCpuMilli}m",
                ["memory"] = $"{shape.AllocatableMemoryMib}Mi",
                ["pods"] = shape.MaxPods.ToString(CultureInfo.InvariantCulture),
            },
            Conditions = [new NodeCondition { Type = "Ready", Status = "True" }],
        },
    };

    private static decimal CapacityCpu(Node node) =>
        node.Status?.Capacity?.GetValueOrDefault("cpu") is { } q && decimal.TryParse(q.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : 0;

    private static bool Pending(Pod pod) =>
        pod.Spec?.NodeName is null && !PodFacts.IsTerminating(pod) &&
        pod.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable") == true;
}
