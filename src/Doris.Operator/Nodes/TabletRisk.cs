using Doris.Sql.Admin;

namespace Doris.Operator.Nodes;

/// <summary>
/// Whether taking some BEs away could leave a tablet without a healthy replica, from what the FE reports: tablets
/// already short of replicas, or as many BEs draining or down as tables keep replicas (the replication the FE is
/// configured with: <c>force_olap_table_replication_num</c>, else <c>default_replication_num</c>).
/// </summary>
public static class TabletRisk
{
    public sealed record Verdict(bool AtRisk, string Message);

    public static async Task<Verdict> CheckAsync(IDorisAdmin admin, IReadOnlyList<string> draining, IReadOnlyList<BackendInfo> backends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var health = await admin.TabletHealthAsync(cancellationToken).ConfigureAwait(false);
        var replication = await admin.MaxReplicationAsync(cancellationToken).ConfigureAwait(false);
        return Judge(draining, backends, health, replication);
    }

    public static Verdict Judge(IReadOnlyList<string> draining, IReadOnlyList<BackendInfo> backends, TabletHealth health, int replication)
    {
        ArgumentNullException.ThrowIfNull(draining);
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(health);
        var leaving = new SortedSet<string>(draining.Select(Short), StringComparer.Ordinal);
        foreach (var down in backends.Where(b => !b.IsComputeNode && !b.Alive && !b.Decommissioned))
        {
            leaving.Add(Short(down.Address));
        }

        var names = string.Join(", ", leaving);
        if (health.Unhealthy > 0)
        {
            return new Verdict(true, $"TABLETS AT RISK: {health.Unhealthy} of {health.Tablets} tablets already lack a full set of healthy replicas, so losing {names} could take the last healthy copy of some. " +
                                     "Hold the drain (uncordon the node, or pause the disruption) until SHOW PROC '/cluster_health/tablet_health' shows no unhealthy tablets");
        }

        if (leaving.Count >= replication)
        {
            return new Verdict(true, $"TABLETS AT RISK: {leaving.Count} BEs are draining or down ({names}) and tables keep {replication} replicas, so a tablet with every replica on them would be lost. " +
                                     "Hold the drain (uncordon the node, or pause the disruption) until the other BEs are back");
        }

        return new Verdict(false, $"checked with the FE: every tablet keeps a healthy replica on another BE ({replication} replicas, {leaving.Count} BE(s) draining or down, no unhealthy tablets); its PodDisruptionBudget lets one BE go at a time");
    }

    private static string Short(string address) => address.Split('.', ':')[0];
}
