using Doris.Kubernetes.Models;

namespace Doris.Simulation.Cluster;

/// <summary>
/// Karpenter replacing nodes (drift, expiry, consolidation): replacements are launched first, the old nodes are
/// tainted <c>karpenter.sh/disrupted:NoSchedule</c> together, and their pods are evicted through the eviction API,
/// so each eviction must be allowed by every PodDisruptionBudget covering the pod; blocked pods are retried on the
/// next step. An empty node is terminated.
/// </summary>
internal sealed class KarpenterDisruption
{
    private readonly List<string> _nodes = [];

    public IReadOnlyList<string> Disrupting => _nodes;

    /// <summary>Evictions done, with the simulated time of each (for tests and reports).</summary>
    public List<(DateTimeOffset At, string Pod)> Evicted { get; } = [];

    public int Blocked { get; private set; }

    public void Add(IEnumerable<string> nodes) => _nodes.AddRange(nodes.Where(n => !_nodes.Contains(n)));

    public void Step(TypedStore store, IReadOnlyList<DisruptionBudgets.Budget> budgets, DateTimeOffset now)
    {
        if (_nodes.Count == 0)
        {
            return; // nothing being recycled: no need to look at a single pod
        }

        var allowed = budgets.ToDictionary(b => b, b => b.Allowed);
        var pods = store.List(TypedStore.Pods, TypedStore.PodInfo);
        foreach (var node in _nodes.ToList())
        {
            var on = pods.Where(p => p.Spec?.NodeName == node && !PodFacts.IsTerminal(p)).ToList();
            if (on.Count == 0)
            {
                store.TryDelete(TypedStore.Nodes, null, node);
                _nodes.Remove(node);
                continue;
            }

            foreach (var pod in on.Where(p => !PodFacts.IsTerminating(p)))
            {
                var covering = DisruptionBudgets.Covering(budgets, pod).ToList();
                if (covering.Any(b => allowed[b] <= 0))
                {
                    Blocked++; // 429 Too Many Requests from the eviction API: retried later
                    continue;
                }

                foreach (var b in covering)
                {
                    allowed[b]--;
                }

                store.TryDelete(TypedStore.Pods, pod.Metadata!.Namespace, pod.Metadata.Name!);
                Evicted.Add((now, pod.Metadata.Name!));
            }
        }
    }
}
