using Doris.Sql.Admin;

namespace Doris.Operator.Membership;

/// <summary>What one component's membership step decided: the replicas the StatefulSet may have now, and the statements to run first.</summary>
public sealed record MembershipPlan(int Replicas)
{
    public IReadOnlyList<string> Decommission { get; init; } = [];

    public IReadOnlyList<string> Cancel { get; init; } = [];

    public IReadOnlyList<string> DropBackends { get; init; } = [];

    public IReadOnlyList<string> DropObservers { get; init; } = [];

    /// <summary>Why a requested scale-in is not done (and what to do), or null.</summary>
    public string? Refusal { get; init; }

    /// <summary>Progress of members that are leaving, or null when none is.</summary>
    public string? Progress { get; init; }
}

/// <summary>
/// The pure decisions behind safe scale-in, from what the FE reports. BEs: refuse when the BEs that would remain
/// cannot hold every replica; otherwise decommission the highest ordinals, hold the StatefulSet until their tablets
/// are gone, drop them, then shrink; a scale-out cancels a running decommission. CNs: decommission, drop, shrink.
/// FE: only observers leave, dropped before their pods go.
/// </summary>
public static class MembershipPlanner
{
    /// <param name="floor">The replicas the tables keep, per location; BEs in a location may not fall below what it holds.</param>
    public static MembershipPlan Backends(int desired, int live, Func<int, string> address, IReadOnlyList<BackendInfo> registered, ReplicationFloor floor, bool computeNodes)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(registered);
        var byAddress = registered.ToDictionary(b => b.Address, StringComparer.OrdinalIgnoreCase);
        var cancel = Enumerable.Range(0, Math.Min(desired, live)).Select(address)
            .Where(a => byAddress.TryGetValue(a, out var b) && b.Decommissioned).ToList();
        if (desired >= live)
        {
            return new MembershipPlan(desired) { Cancel = cancel };
        }

        var victims = Enumerable.Range(desired, live - desired).Select(address).Where(byAddress.ContainsKey).Select(a => byAddress[a]).ToList();
        var victimSet = victims.Select(v => v.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Doris refuses the decommission on allocation alone (SystemHandler.checkDecommissionWithReplicaAllocation),
        // tablets or not, so the same check runs here first and says why in status instead of failing the statement.
        if (!computeNodes && victims.Any(v => !v.Decommissioned))
        {
            ArgumentNullException.ThrowIfNull(floor);

            // Doris places replicas by tag.location: each location must keep as many BEs as any partition puts there.
            foreach (var (location, (replicas, table)) in floor.ByLocation.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var survivors = registered.Count(b => b.Alive && !b.Decommissioned && !b.IsComputeNode && !victimSet.Contains(b.Address) && (b.Location ?? "default") == location);
                if (survivors < replicas)
                {
                    return new MembershipPlan(live)
                    {
                        Cancel = cancel,
                        Refusal = $"scale-in of BE from {live} to {desired} refused: {survivors} BE(s) would remain in location '{location}' but table {table} keeps {replicas} replicas there, so its tablets would have nowhere to go. " +
                                  $"Keep beSpec.replicas at {live}, or lower that table's replication (ALTER TABLE {table} MODIFY PARTITION (*) SET (\"replication_allocation\" = \"tag.location.{location}: {survivors}\")) first",
                    };
                }
            }
        }

        var decommission = victims.Where(v => !v.Decommissioned).Select(v => v.Address).ToList();
        var draining = computeNodes ? [] : victims.Where(v => v.TabletNum > 0).ToList();
        if (decommission.Count > 0 || draining.Count > 0)
        {
            return new MembershipPlan(live)
            {
                Cancel = cancel,
                Decommission = decommission,
                Progress = $"decommissioning {string.Join(", ", victims.Select(v => $"{v.Host.Split('.')[0]} ({v.TabletNum} tablets left)"))}; the StatefulSet keeps {live} pods until they are empty",
            };
        }

        return new MembershipPlan(desired) { Cancel = cancel, DropBackends = [.. victims.Select(v => v.Address)] };
    }

    public static MembershipPlan Frontends(int desired, int live, int electionNumber, Func<int, string> address, IReadOnlyList<FrontendInfo> registered)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(registered);
        if (desired >= live)
        {
            return new MembershipPlan(desired);
        }

        if (desired < electionNumber)
        {
            return new MembershipPlan(live)
            {
                Refusal = $"scale-in of FE from {live} to {desired} refused: it would remove followers and break the quorum of {electionNumber}; only observers (ordinals {electionNumber} and up) can be removed",
            };
        }

        var byAddress = registered.ToDictionary(f => f.Address, StringComparer.OrdinalIgnoreCase);
        var victims = Enumerable.Range(desired, live - desired).Select(address).Where(byAddress.ContainsKey).Select(a => byAddress[a]).ToList();
        if (victims.FirstOrDefault(v => !v.IsObserver) is { } follower)
        {
            return new MembershipPlan(live) { Refusal = $"scale-in of FE refused: {follower.Host} is registered as a {follower.Role}, not an observer; removing it could break the quorum" };
        }

        return new MembershipPlan(desired) { DropObservers = [.. victims.OrderByDescending(v => v.Host, StringComparer.Ordinal).Select(v => v.Address)] };
    }
}
