using System.Collections.Concurrent;
using Doris.Api;
using Doris.Api.Config;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Desired;
using Doris.Kubernetes.Models;
using Doris.Operator.Membership;
using Doris.Sql;
using Doris.Sql.Admin;

namespace Doris.Operator.Nodes;

/// <summary>
/// With <c>enableZoneLocationTags</c>, keeps each BE's and CN's <c>tag.location</c> equal to its node's zone. It
/// talks to the FE only when a ready BE or CN pod has not been checked on its current node (a new pod, a pod moved
/// by a drain), so a steady cluster sends no SQL.
/// </summary>
public sealed class LocationTags(FrontendAccess? access)
{
    private const string ZoneLabel = "topology.kubernetes.io/zone";

    // "namespace/cluster/pod uid" -> the zone it was checked in; entries of pods that are gone are pruned.
    private readonly ConcurrentDictionary<string, string> _checked = new(StringComparer.Ordinal);

    public sealed record Outcome(IReadOnlyList<string> Problems, IReadOnlyList<(string Type, string Reason, string Message, string Slot)> Events, bool Waiting);

    private static readonly Outcome Nothing = new([], [], false);

    public async Task<Outcome> RunAsync(DorisCluster cluster, IReadOnlyList<Pod> pods, Func<string, Task<Node?>> node, IReadOnlyDictionary<string, ConfigMap> configMaps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(node);
        if (access is null || cluster.Spec!.EnableZoneLocationTags != true)
        {
            return Nothing;
        }

        var prefix = $"{cluster.Metadata!.Namespace}/{cluster.Metadata.Name}/";
        var present = pods.Select(p => prefix + p.Metadata!.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _checked.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !present.Contains(k)).ToList())
        {
            _checked.TryRemove(gone, out _);
        }

        var pending = new List<(Pod Pod, DorisComponent Component, string Zone)>();
        foreach (var pod in pods.Where(p => p.Metadata?.DeletionTimestamp is null && p.Spec?.NodeName is not null && IsReady(p)))
        {
            var component = pod.Metadata!.Labels?.GetValueOrDefault(DorisLabels.Component) switch { "be" => DorisComponent.Be, "cn" => DorisComponent.Cn, _ => (DorisComponent?)null };
            if (component is null || (await node(pod.Spec!.NodeName!).ConfigureAwait(false))?.Metadata?.Labels?.GetValueOrDefault(ZoneLabel) is not { Length: > 0 } zone)
            {
                continue;
            }

            if (_checked.GetValueOrDefault(prefix + pod.Metadata.Uid) != zone)
            {
                pending.Add((pod, component.Value, zone));
            }
        }

        if (pending.Count == 0)
        {
            return Nothing;
        }

        var spec = cluster.Spec!;
        ComponentConfig Config(DorisComponent c) => spec.SpecOf(c) is { } s ? ConfigResolver.Resolve(c, s, configMaps, []) : ComponentConfig.None;
        var events = new List<(string, string, string, string)>();
        var waiting = false;
        var problems = new List<string>();
        ReplicationFloor? floor = null;
        try
        {
            var admin = await access.ForAsync(cluster, Config(DorisComponent.Fe), cancellationToken).ConfigureAwait(false);
            var backends = await admin.ShowBackendsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (pod, component, zone) in pending)
            {
                var name = pod.Metadata!.Name!;
                var ordinal = DorisNames.Ordinal(name);
                var address = Membership.MemberAddress.Of(DorisNames.PodFqdn(cluster.Metadata!.Name!, component, ordinal, cluster.Metadata.Namespace ?? "default"), pod.Status?.PodIP, Config(component).HeartbeatPort, backends);
                if (backends.FirstOrDefault(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)) is not { } member)
                {
                    waiting = true; // not registered yet: look again shortly
                    continue;
                }

                var location = LocationTag.FromZone(zone);
                if (member.Location != location && member.HoldsData && member.Location is { } from)
                {
                    // Doris places, migrates and repairs a table's replicas only on BEs with the tags its allocation
                    // names: moving the BEs a location still needs out of it would leave those tablets unrepairable.
                    floor ??= await admin.ReplicationFloorAsync(cancellationToken).ConfigureAwait(false);
                    var staying = backends.Count(b => b.HoldsData && b.Alive && !b.Decommissioned && b.Location == from && b.Address != member.Address);
                    if (floor.ByLocation.TryGetValue(from, out var need) && staying < need.Replicas)
                    {
                        problems.Add($"{name} keeps tag.location '{from}' (its zone is {zone}): table {need.Table} keeps {need.Replicas} replicas in '{from}' and only {staying} BE(s) would stay there. " +
                                     $"Give the tables a zone allocation first (ALTER TABLE {need.Table} MODIFY PARTITION (*) SET (\"replication_allocation\" = \"tag.location.{location}: 1, ...\")), then the BE is retagged");
                        continue;
                    }

                    backends = [.. backends.Select(b => b.Address == member.Address ? b with { Location = location } : b)];
                }

                if (member.Location != location)
                {
                    await admin.SetLocationAsync(address, location, cancellationToken).ConfigureAwait(false);
                    events.Add(("Normal", "LocationTagged", $"{name} runs in zone {zone}: tag.location set to {location} (was {member.Location ?? "unknown"})", name));
                }

                _checked[prefix + pod.Metadata.Uid] = zone;
            }
        }
        catch (MySqlException e)
        {
            var message = $"cannot set tag.location from zones: {e.Message}; tried again on the next change";
            return new Outcome([message], [("Warning", "LocationTagFailed", message, "location")], true);
        }

        return new Outcome(problems, events, waiting);
    }

    private static bool IsReady(Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
