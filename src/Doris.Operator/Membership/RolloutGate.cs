using Doris.Api;
using Doris.Api.Naming;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Membership;

/// <summary>
/// Orders pod replacements (image upgrades, config changes, restarts) the way Doris's upgrade guide asks: BE, then
/// CN, then broker, then FE (highest ordinal first, so observers before followers and the master, fe-0, last), one
/// pod at a time, and only while the cluster is healthy (every member alive in the FE, no unhealthy tablets). It
/// works through the StatefulSet's rolling-update partition: a set whose template changed first gets the new
/// template with the partition at its replica count (nothing is replaced), then the partition is lowered by one
/// each time the last replaced pod is Ready and the cluster is healthy again. One exception to "healthy first": the
/// next pod is replaced at once when it is itself not Ready on an older revision (nothing is lost by replacing it).
/// </summary>
public static class RolloutGate
{
    public static readonly DorisComponent[] Order = [DorisComponent.Be, DorisComponent.Cn, DorisComponent.Broker, DorisComponent.Fe];

    public sealed record Health(bool Ok, string? Reason)
    {
        public static Health Good { get; } = new(true, null);
    }

    public sealed record Decision(IReadOnlyDictionary<DorisComponent, int> Partitions, string? Waiting)
    {
        public bool Active => Waiting is not null;
    }

    /// <summary>Components whose pods still have to be replaced (template changed, or a rollout not finished).</summary>
    public static IReadOnlyList<DorisComponent> Pending(IReadOnlyDictionary<DorisComponent, StatefulSet> desired, IReadOnlyDictionary<DorisComponent, StatefulSet?> live) =>
        [.. Order.Where(c => desired.ContainsKey(c) && live.GetValueOrDefault(c) is { } l && (TemplateChanged(desired[c], l) || Incomplete(l)))];

    public static Decision Plan(IReadOnlyDictionary<DorisComponent, StatefulSet> desired, IReadOnlyDictionary<DorisComponent, StatefulSet?> live, IReadOnlyList<Pod> pods, Health health)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(health);
        var partitions = new Dictionary<DorisComponent, int>();
        string? waiting = null;
        DorisComponent? active = null;
        foreach (var c in Order.Where(desired.ContainsKey))
        {
            var d = desired[c];
            var replicas = d.Spec?.Replicas ?? 0;
            if (live.GetValueOrDefault(c) is not { } l || !(TemplateChanged(d, l) || Incomplete(l)))
            {
                partitions[c] = 0;
                continue;
            }

            var livePartition = l.Spec?.UpdateStrategy?.RollingUpdate?.Partition ?? 0;
            if (active is not null)
            {
                partitions[c] = TemplateChanged(d, l) ? replicas : Math.Max(livePartition, 0);
                continue;
            }

            active = c;
            if (TemplateChanged(d, l))
            {
                partitions[c] = replicas; // take the new template; replace nothing yet
                waiting = $"{c.Key()}: new pod template taken; pods are replaced one at a time, highest ordinal first";
                continue;
            }

            if (l.Status?.ObservedGeneration != l.Metadata?.Generation || l.Status?.UpdateRevision is null)
            {
                // Judge pods only against a status that reflects the latest spec, or a stale one would let it race ahead.
                partitions[c] = livePartition;
                waiting = $"{c.Key()}: waiting for the StatefulSet controller to take the new spec";
                continue;
            }

            var mine = pods.Where(p => p.Metadata?.Labels?.GetValueOrDefault(DorisLabels.Component) == c.Key()).ToList();
            var update = l.Status?.UpdateRevision;
            var replaced = mine.Where(p => Ordinal(p) >= livePartition).ToList();
            var notDone = replaced.FirstOrDefault(p => p.Metadata?.Labels?.GetValueOrDefault("controller-revision-hash") != update || !Ready(p));
            if (notDone is not null)
            {
                partitions[c] = livePartition;
                waiting = $"{c.Key()}: waiting for {notDone.Metadata!.Name} to come back Ready on the new revision";
            }
            else if (livePartition > 0 && !health.Ok && Unavailable(mine, livePartition - 1, update) is { } stuck)
            {
                // The next pod serves nothing (Pending, crashing, not Ready) and is not on the revision wanted now,
                // typically the pod a bad spec left behind after the spec was reverted: replacing it cannot lower
                // availability, and holding it would keep the cluster unhealthy for good, blocking the very fix.
                partitions[c] = livePartition - 1;
                waiting = $"{c.Key()}: replacing {stuck.Metadata!.Name}, which is not Ready on a superseded revision (replacing it cannot lower availability)";
            }
            else if (livePartition > 0 && !health.Ok)
            {
                partitions[c] = livePartition;
                waiting = $"{c.Key()}: rollout paused before the next pod because the cluster is not healthy: {health.Reason}";
            }
            else
            {
                partitions[c] = Math.Max(0, livePartition - 1);
                waiting = livePartition > 0 ? $"{c.Key()}: replacing ordinal {livePartition - 1} ({replicas - livePartition + 1}/{replicas})" : $"{c.Key()}: finishing the rollout";
            }
        }

        return new Decision(partitions, waiting);
    }

    private static Pod? Unavailable(IEnumerable<Pod> pods, int ordinal, string? update) =>
        pods.FirstOrDefault(p => Ordinal(p) == ordinal && p.Metadata?.DeletionTimestamp is null && !Ready(p) &&
                                 p.Metadata?.Labels?.GetValueOrDefault("controller-revision-hash") != update);

    private static bool TemplateChanged(StatefulSet desired, StatefulSet live) =>
        desired.Metadata?.Annotations?.GetValueOrDefault(DorisLabels.TemplateHash) != live.Metadata?.Annotations?.GetValueOrDefault(DorisLabels.TemplateHash);

    private static bool Incomplete(StatefulSet live)
    {
        var s = live.Status;
        var replicas = live.Spec?.Replicas ?? 0;
        return (live.Spec?.UpdateStrategy?.RollingUpdate?.Partition ?? 0) > 0 ||
               (s is not null && s.ObservedGeneration == live.Metadata?.Generation && s.UpdateRevision is { } u && s.CurrentRevision != u && (s.UpdatedReplicas ?? 0) < replicas);
    }

    private static int Ordinal(Pod pod)
    {
        var name = pod.Metadata?.Name ?? string.Empty;
        return DorisNames.Ordinal(name);
    }

    private static bool Ready(Pod pod) =>
        pod.Metadata?.DeletionTimestamp is null && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
