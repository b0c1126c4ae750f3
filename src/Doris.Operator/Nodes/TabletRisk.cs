using Doris.Sql.Admin;

namespace Doris.Operator.Nodes;

/// <summary>
/// Whether taking some BEs away could leave a tablet without a healthy replica, from what the FE reports: tablets
/// already short of replicas, or as many BEs draining or down as tables keep replicas (the most replicas any
/// partition keeps, read from the partitions themselves).
/// </summary>
public static class TabletRisk
{
    public sealed record Verdict(bool AtRisk, string Message);

    public static async Task<Verdict> CheckAsync(IDorisAdmin admin, IReadOnlyList<string> draining, IReadOnlyList<BackendInfo> backends, bool paced, bool budgetHeld, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var health = await admin.TabletHealthAsync(cancellationToken).ConfigureAwait(false);
        var replication = (await admin.ReplicationFloorAsync(cancellationToken).ConfigureAwait(false)).Replicas;

        // Members read before and after the tablet counts: a BE seen down in either read counts as down, so a BE
        // that came back between the reads does not make its missing replicas look like someone else's.
        var after = await admin.ShowBackendsAsync(cancellationToken).ConfigureAwait(false);
        var downAfter = after.Where(b => !b.Alive).Select(b => b.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Judge(draining, [.. backends.Select(b => downAfter.Contains(b.Address) ? b with { Alive = false } : b)], health, replication, paced, budgetHeld);
    }

    /// <summary>
    /// <paramref name="paced"/>: the BEs have our PodDisruptionBudget, so evictions take one draining BE at a time,
    /// and only while every BE pod is ready; <paramref name="budgetHeld"/>: a BE pod is not ready now, so the budget
    /// lets no other go. A BE the FE reports dead behind a ready pod is not seen by the budget.
    /// </summary>
    public static Verdict Judge(IReadOnlyList<string> draining, IReadOnlyList<BackendInfo> backends, TabletHealth health, int replication, bool paced = false, bool budgetHeld = false)
    {
        ArgumentNullException.ThrowIfNull(draining);
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(health);
        var drainingNames = new SortedSet<string>(draining.Select(Short), StringComparer.Ordinal);
        var down = new SortedSet<string>(backends.Where(b => b.HoldsData && !b.Alive && !b.Decommissioned).Select(b => Short(b.Address)), StringComparer.Ordinal);
        var leaving = new SortedSet<string>(drainingNames.Concat(down), StringComparer.Ordinal);

        // How many BEs can be away at the same moment: the ones the FE reports down, plus the draining BEs still up
        // that can go next: with the budget one of them (none while a BE pod is not ready), without it all of them.
        var stillUp = drainingNames.Count(n => !down.Contains(n));
        var more = paced ? (budgetHeld || stillUp == 0 ? 0 : 1) : stillUp;
        var atOnce = down.Count + more;
        var names = string.Join(", ", leaving);
        // Tablets short of replicas while every BE is up are under-replicated for another reason (a bad disk, a
        // running repair): any further loss may take a last copy. With BEs down, their absence explains the shortfall
        // and the count below decides.
        if (health.Unhealthy > 0 && down.Count == 0 && more > 0)
        {
            return new Verdict(true, $"TABLETS AT RISK: {health.Unhealthy} of {health.Tablets} tablets already lack a full set of healthy replicas, so losing {names} could take the last healthy copy of some. " +
                                     "Hold the drain (uncordon the node, or pause the disruption) until SHOW PROC '/cluster_health/tablet_health' shows no unhealthy tablets");
        }

        if (atOnce >= replication)
        {
            var why = paced ? $"{down.Count} BE(s) the FE reports down ({string.Join(", ", down)}) plus the next one drained" : $"{leaving.Count} BEs draining or down ({names}) with no PodDisruptionBudget to pace them";
            return new Verdict(true, $"TABLETS AT RISK: {why} would be away at once and tables keep {replication} replicas, so a tablet with every replica on them would be lost. " +
                                     "Hold the drain (uncordon the node, or pause the disruption) until the other BEs are back");
        }

        var pacing = paced ? "the PodDisruptionBudget lets one BE go at a time" : "no PodDisruptionBudget paces the drain";
        return new Verdict(false, $"checked with the FE: every tablet keeps a healthy replica on another BE ({replication} replicas, at most {atOnce} BE(s) away at once: {names}; no unhealthy tablets); {pacing}");
    }

    private static string Short(string address) => address.Split('.', ':')[0];
}
