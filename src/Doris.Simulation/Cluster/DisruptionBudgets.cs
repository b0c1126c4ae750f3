using System.Globalization;
using Doris.Kubernetes.Models;

namespace Doris.Simulation.Cluster;

/// <summary>
/// The disruption controller's arithmetic and the eviction API's check: a PodDisruptionBudget allows as many
/// evictions as it has healthy (Ready) pods above what it must keep. Expected pods come from the owning
/// StatefulSet's replicas, so a pod already evicted and not yet back counts as unavailable.
/// </summary>
internal static class DisruptionBudgets
{
    public sealed record Budget(PodDisruptionBudget Pdb, int Expected, int Healthy, int Allowed);

    public static IReadOnlyList<Budget> Compute(TypedStore store, IReadOnlyList<Pod> pods)
    {
        var sets = new LabelIndex<StatefulSet>(store.List(TypedStore.StatefulSets, TypedStore.StatefulSetInfo), s => s.Metadata!.Namespace, s => s.Spec?.Template?.Metadata?.Labels);
        var live = new LabelIndex<Pod>(pods.Where(p => !PodFacts.IsTerminal(p)), p => p.Metadata!.Namespace, p => p.Metadata!.Labels);
        var budgets = new List<Budget>();
        foreach (var pdb in store.List(TypedStore.Budgets, TypedStore.BudgetInfo))
        {
            var selector = pdb.Spec?.Selector?.MatchLabels;
            var matching = live.Matching(pdb.Metadata!.Namespace, selector).ToList();
            var replicas = sets.Matching(pdb.Metadata!.Namespace, selector).Sum(s => s.Spec?.Replicas ?? 0);
            var expected = Math.Max(replicas, matching.Count);
            var healthy = matching.Count(p => !PodFacts.IsTerminating(p) && PodFacts.IsReady(p));
            var desired = pdb.Spec?.MinAvailable is { } min ? Resolve(min, expected, roundUp: true) : expected - Resolve(pdb.Spec?.MaxUnavailable ?? IntOrString.FromInt(0), expected, roundUp: true);
            budgets.Add(new Budget(pdb, expected, healthy, Math.Max(0, healthy - desired)));
        }

        return budgets;
    }

    /// <summary>Writes the budgets' status as the disruption controller does (for kubectl get pdb).</summary>
    public static void WriteStatus(TypedStore store, IReadOnlyList<Budget> budgets)
    {
        foreach (var b in budgets)
        {
            var status = new PodDisruptionBudgetStatus
            {
                ExpectedPods = b.Expected,
                CurrentHealthy = b.Healthy,
                DesiredHealthy = b.Healthy - b.Allowed,
                DisruptionsAllowed = b.Allowed,
                ObservedGeneration = b.Pdb.Metadata!.Generation,
            };
            if (b.Pdb.Status is not { } old || old.DisruptionsAllowed != status.DisruptionsAllowed || old.CurrentHealthy != status.CurrentHealthy || old.ExpectedPods != status.ExpectedPods)
            {
                store.TryUpdate(TypedStore.Budgets, TypedStore.BudgetInfo, b.Pdb with { Status = status }, status: true);
            }
        }
    }

    /// <summary>The budgets a pod counts against (an eviction needs each of them to allow one more).</summary>
    public static IEnumerable<Budget> Covering(IReadOnlyList<Budget> budgets, Pod pod) =>
        budgets.Where(b => b.Pdb.Metadata!.Namespace == pod.Metadata!.Namespace &&
                           (b.Pdb.Spec?.Selector?.MatchLabels ?? new Dictionary<string, string>()).All(kv => pod.Metadata.Labels?.GetValueOrDefault(kv.Key) == kv.Value));

    private static int Resolve(IntOrString value, int total, bool roundUp)
    {
        if (value.Number is { } n)
        {
            return n;
        }

        var percent = decimal.Parse(value.Text!.TrimEnd('%'), CultureInfo.InvariantCulture) / 100m * total;
        return (int)(roundUp ? Math.Ceiling(percent) : Math.Floor(percent));
    }
}
