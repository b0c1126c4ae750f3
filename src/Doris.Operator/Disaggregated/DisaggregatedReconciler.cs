using System.Collections.Concurrent;
using System.Text.Json;
using Doris.Api.Disaggregated;
using Doris.Api.Naming;
using Doris.Api.Serialization;
using Doris.Api.Validation;
using Doris.Api.Validation.Disaggregated;
using Doris.Desired;
using Doris.Desired.Disaggregated;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Cluster;
using Doris.Operator.Runtime;

namespace Doris.Operator.Disaggregated;

/// <summary>
/// The level-based DorisDisaggregatedCluster reconcile, in upstream's order: the meta service first, the FE once a
/// meta service pod is Ready, each compute group once an FE pod is Ready. An invalid spec writes the Invalid
/// condition and an Event and nothing else. A compute group shrinks only after the FE has let its leaving members go
/// (decommissioned and drained); a group removed from the spec is dropped from the FE before its StatefulSet goes.
/// Status is written once per real change. Keys are <c>namespace/name</c>.
/// </summary>
public sealed class DisaggregatedReconciler(KubernetesClient client, EventRecorder events, TimeProvider time, DisaggregatedView view, IClusterView secrets, ComputeGroupMembers members, ComputeGroupDrain drain)
    : IReconciler<string>
{
    /// <summary>How soon to look again while the FE is being asked to let members go.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    /// <summary>The safety-net look while only pods are awaited (their events bring each change sooner).</summary>
    public static readonly TimeSpan PodWaitInterval = TimeSpan.FromSeconds(60);

    private readonly ChildApplier _applier = new(client, view, time);
    private readonly ResourceClient<DorisDisaggregatedCluster> _clusters = client.For(DisaggregatedResource.Descriptor, DorisApiJsonContext.Default.DorisDisaggregatedCluster);
    private readonly ConcurrentDictionary<(string Key, string Reason), string> _reported = new();
    private int _statusWrites;
    private readonly StatusPatch _statusPatch = new();

    public int Writes => _applier.Writes + Volatile.Read(ref _statusWrites);

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (key[..slash], key[(slash + 1)..]);
        var cluster = view.Clusters.Get(ns, name);
        if (cluster is null || cluster.Metadata?.DeletionTimestamp is not null)
        {
            foreach (var id in _reported.Keys.Where(k => k.Key == key).ToList())
            {
                _reported.TryRemove(id, out _);
            }

            _statusPatch.Forget(ns, name);

            return ReconcileResult.Done; // deleted: children go with it through owner references
        }

        var errors = DisaggregatedClusterValidator.Validate(cluster).Where(i => i.Severity == Severity.Error).ToList();
        if (errors.Count > 0)
        {
            var message = string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"));
            await WriteStatusAsync(cluster, DisaggregatedStatusBuilder.Invalid(cluster, message, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            await ReportOnceAsync(key, cluster, "Warning", "InvalidSpec", $"{message}. Nothing was changed; fix the spec and apply it again.", cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        _reported.TryRemove((key, "InvalidSpec"), out _);
        if (cluster.Metadata!.Annotations?.GetValueOrDefault(DorisLabels.Paused) == "true")
        {
            await ReportOnceAsync(key, cluster, "Normal", "Paused", $"reconciliation paused by {DorisLabels.Paused}=true; nothing is created, updated or deleted until the annotation is removed", cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        _reported.TryRemove((key, "Paused"), out _);
        var references = await DisaggregatedReferences.LoadAsync(view, secrets, cluster, cancellationToken).ConfigureAwait(false);
        var desired = DisaggregatedClusterBuilder.Build(cluster, references.ConfigMaps);
        var queryPort = DisaggregatedConfigs.Resolve(cluster.Spec!, references.ConfigMaps).Fe.QueryPort;
        var pods = view.PodsOf(ns, name);
        var owned = view.SetsOf(cluster).ToDictionary(s => s.Metadata!.Name!, StringComparer.Ordinal);
        var feSet = DisaggregatedNames.FrontendStatefulSet(name);
        var (msAvailable, feAvailable) = (ReadyPods(pods, "ms") > 0, ReadyPods(pods, "fe") > 0);
        var waiting = new List<string>();
        var problems = references.Missing.Select(m => $"{m} does not exist; create it (pods that mount it cannot start)").ToList();
        var phases = new Dictionary<string, string>(StringComparer.Ordinal);
        var active = false;
        var created = new List<string>();
        foreach (var obj in desired.Objects)
        {
            var group = obj.Metadata?.Labels?.GetValueOrDefault(DisaggregatedLabels.ComputeGroup);
            var type = obj.Metadata?.Labels?.GetValueOrDefault(DisaggregatedLabels.PodType);
            var set = obj is StatefulSet ? obj.Metadata!.Name! : null;

            // Upstream's order: nothing new for the FE before a meta service pod is Ready, nor for a compute group
            // before an FE pod is; what already exists keeps being updated.
            if (group is null && type == "fe" && !msAvailable && !owned.ContainsKey(feSet))
            {
                AddOnce(waiting, "the FE is created once a meta service pod is Ready");
                continue;
            }

            var groupSet = group is null ? null : DisaggregatedNames.ComputeGroupStatefulSet(name, group);
            if (groupSet is not null && !feAvailable && !owned.ContainsKey(groupSet))
            {
                AddOnce(waiting, $"compute group {group} is created once an FE pod is Ready");
                continue;
            }

            var apply = obj;
            if (obj is StatefulSet wanted && (group is not null || type == "fe") && owned.TryGetValue(set!, out var live) && (live.Spec?.Replicas ?? 1) > (wanted.Spec?.Replicas ?? 1))
            {
                var keep = wanted.Spec?.Replicas ?? 1;
                var outcome = group is null
                    ? await members.ShrinkFrontendsAsync(cluster, set!, keep, queryPort, cancellationToken).ConfigureAwait(false)
                    : await members.ScaleInAsync(cluster, set!, keep, queryPort, cancellationToken).ConfigureAwait(false);
                if (group is not null)
                {
                    phases[group] = outcome.Phase;
                }

                await ReportAsync(key, cluster, outcome, problems, cancellationToken).ConfigureAwait(false);
                if (!outcome.Done)
                {
                    active = true;
                    apply = wanted with { Spec = wanted.Spec! with { Replicas = live.Spec!.Replicas } }; // held until the FE has let them go
                }
            }

            if (await _applier.ApplyAsync(ObjectHash.Stamped(apply), cancellationToken).ConfigureAwait(false) && set is not null && !owned.ContainsKey(set))
            {
                created.Add(set);
            }
        }

        // As for a DorisCluster (RolloutEvents.CreatedAsync): a new cluster's first pass records no Event; its status does.
        if (created.Count > 0 && cluster.Status is not null)
        {
            await events.RecordAsync(cluster, "Normal", "Created", $"created StatefulSet {string.Join(", ", created)}", cancellationToken).ConfigureAwait(false);
        }

        active |= await RemoveDroppedGroupsAsync(key, cluster, owned, queryPort, problems, cancellationToken).ConfigureAwait(false);
        await RemoveStaleBudgetsAsync(cluster, desired.Objects, cancellationToken).ConfigureAwait(false);
        var drained = await drain.RunAsync(cluster, pods, n => view.NodeAsync(n, cancellationToken), queryPort, cancellationToken).ConfigureAwait(false);
        problems.AddRange(drained.Problems);
        foreach (var (type, reason, message, slot) in drained.Events)
        {
            await ReportOnceAsync(key, cluster, type, reason, message, cancellationToken, slot).ConfigureAwait(false);
        }

        var sets = new Dictionary<string, StatefulSet>(StringComparer.Ordinal);
        foreach (var s in desired.Objects.OfType<StatefulSet>())
        {
            if (_applier.WithCreated("StatefulSet", ns, s.Metadata!.Name!, owned.GetValueOrDefault(s.Metadata.Name!) ?? view.StatefulSets.Get(ns, s.Metadata.Name!)) is StatefulSet known)
            {
                sets[s.Metadata.Name!] = known;
            }
        }

        var wantedReplicas = desired.Objects.OfType<StatefulSet>().ToDictionary(s => s.Metadata!.Name!, s => s.Spec?.Replicas ?? 1, StringComparer.Ordinal);
        var groupIds = await GroupIdsAsync(cluster, feAvailable, queryPort, cancellationToken).ConfigureAwait(false);
        var status = DisaggregatedStatusBuilder.Build(cluster, new DisaggregatedStatusBuilder.Inputs(sets, wantedReplicas, pods, phases, groupIds, waiting, problems), time.GetUtcNow());
        await WriteStatusAsync(cluster, status, cancellationToken).ConfigureAwait(false);
        var ready = status.Conditions!.First(c => c.Type == "Ready").Status == "True";
        if (ready && cluster.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status != "True")
        {
            await events.RecordAsync(cluster, "Normal", "Available", "the meta service, the FE and every compute group have all pods ready", cancellationToken).ConfigureAwait(false);
        }

        if (drained.Active)
        {
            return ReconcileResult.UrgentAfter(Nodes.DrainStep.Interval); // a notice runs out in two minutes: look again soon, ahead of other work
        }

        if (ready && !active)
        {
            return _applier.AwaitingCache(desired.Objects) ? ReconcileResult.After(ChildApplier.AwaitingCacheRecheck) : ReconcileResult.Done;
        }

        return ReconcileResult.After(active || problems.Count > 0 ? ProgressInterval : PodWaitInterval);
    }

    // Groups this cluster owns that the spec no longer names: dropped from the FE first, then their StatefulSet and
    // Services deleted. Returns whether one is still waiting for the FE.
    private async Task<bool> RemoveDroppedGroupsAsync(string key, DorisDisaggregatedCluster cluster, IReadOnlyDictionary<string, StatefulSet> owned, int queryPort, List<string> problems, CancellationToken cancellationToken)
    {
        var name = cluster.Metadata!.Name!;
        var ns = cluster.Metadata.Namespace ?? "default";
        var inSpec = (cluster.Spec!.ComputeGroups ?? []).Where(g => g.UniqueId is { Length: > 0 }).Select(g => DisaggregatedNames.ComputeGroupStatefulSet(name, g.UniqueId!)).ToHashSet(StringComparer.Ordinal);
        var waiting = false;
        foreach (var (set, live) in owned.Where(o => o.Value.Metadata?.Labels?.ContainsKey(DisaggregatedLabels.ComputeGroup) == true && !inSpec.Contains(o.Key)))
        {
            var outcome = await members.DropGroupAsync(cluster, set, queryPort, cancellationToken).ConfigureAwait(false);
            await ReportAsync(key, cluster, outcome, problems, cancellationToken).ConfigureAwait(false);
            if (!outcome.Done)
            {
                waiting = true;
                continue;
            }

            var uid = cluster.Metadata.Uid!;
            await _applier.DeleteOwnedAsync(client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet), "StatefulSet", ns, set, uid, cancellationToken).ConfigureAwait(false);
            foreach (var service in new[] { set, set + "-external" })
            {
                await _applier.DeleteOwnedAsync(client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service), "Service", ns, service, uid, cancellationToken).ConfigureAwait(false);
            }
        }

        return waiting;
    }

    // Budgets no longer rendered (enablePodDisruptionBudget: false, or their component gone) are deleted.
    private async Task RemoveStaleBudgetsAsync(DorisDisaggregatedCluster cluster, IReadOnlyList<IKubernetesObject> desired, CancellationToken cancellationToken)
    {
        var wanted = desired.OfType<PodDisruptionBudget>().Select(b => b.Metadata!.Name!).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in view.BudgetsOf(cluster).Where(b => !wanted.Contains(b.Metadata!.Name!)))
        {
            await _applier.DeleteOwnedAsync(client.For(ResourceDescriptor.PodDisruptionBudgets, KubernetesJsonContext.Default.PodDisruptionBudget), "PodDisruptionBudget", cluster.Metadata!.Namespace ?? "default", stale.Metadata!.Name!, cluster.Metadata.Uid!, cancellationToken).ConfigureAwait(false);
        }
    }

    // Doris's ids for the groups, asked of the FE only while a group's status has none yet (one query, then never again).
    private async Task<IReadOnlyDictionary<string, string>> GroupIdsAsync(DorisDisaggregatedCluster cluster, bool feAvailable, int queryPort, CancellationToken cancellationToken)
    {
        var name = cluster.Metadata!.Name!;
        var known = (cluster.Status?.ComputeGroupStatuses ?? []).Where(s => s.ComputeGroupId is { Length: > 0 }).Select(s => s.UniqueId).ToHashSet(StringComparer.Ordinal);
        var unknown = (cluster.Spec!.ComputeGroups ?? []).Where(g => g.UniqueId is { Length: > 0 } id && !known.Contains(id)).Select(g => DisaggregatedNames.ComputeGroupStatefulSet(name, g.UniqueId!)).ToList();
        return !feAvailable || unknown.Count == 0
            ? new Dictionary<string, string>()
            : await members.GroupIdsAsync(cluster, unknown, queryPort, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReportAsync(string key, DorisDisaggregatedCluster cluster, ComputeGroupMembers.Outcome outcome, List<string> problems, CancellationToken cancellationToken)
    {
        foreach (var (type, reason, message) in outcome.Events)
        {
            await ReportOnceAsync(key, cluster, type, reason, message, cancellationToken).ConfigureAwait(false);
        }

        if (outcome.Problem is { } problem)
        {
            problems.Add(problem);
            await ReportOnceAsync(key, cluster, "Warning", "ComputeGroupStuck", problem, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReportOnceAsync(string key, DorisDisaggregatedCluster cluster, string type, string reason, string message, CancellationToken cancellationToken, string? slot = null)
    {
        var id = (key, slot is null ? reason : $"{reason}:{slot}");
        if (_reported.TryGetValue(id, out var last) && last == message)
        {
            return;
        }

        _reported[id] = message;
        await events.RecordAsync(cluster, type, reason, message, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteStatusAsync(DorisDisaggregatedCluster cluster, DisaggregatedClusterStatus status, CancellationToken cancellationToken)
    {
        var before = cluster.Status is null ? null : JsonSerializer.Serialize(cluster.Status, DorisApiJsonContext.Default.DisaggregatedClusterStatus);
        var after = JsonSerializer.Serialize(status, DorisApiJsonContext.Default.DisaggregatedClusterStatus);
        if (await _statusPatch.WriteAsync(_clusters, cluster.Metadata!, before, after, cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _statusWrites);
        }
    }

    private static int ReadyPods(IReadOnlyList<Pod> pods, string type) => pods.Count(p =>
        p.Metadata?.Labels?.GetValueOrDefault(DisaggregatedLabels.PodType) == type && p.Metadata.DeletionTimestamp is null &&
        p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);

    private static void AddOnce(List<string> list, string text)
    {
        if (!list.Contains(text))
        {
            list.Add(text);
        }
    }
}
