using System.Collections.Concurrent;
using System.Text.Json;
using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Api.Validation;
using Doris.Desired;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Runtime;

namespace Doris.Operator.Cluster;

/// <summary>
/// The level-based DorisCluster reconcile: read the cluster, refuse an invalid spec (Invalid condition and an
/// Event, nothing else written), stop at a pause annotation, render the desired children from the spec, the
/// referenced ConfigMaps and the accepted restart times, write only those that differ, then write status only
/// when it changed. Keys are <c>namespace/name</c>.
/// </summary>
public sealed class DorisClusterReconciler : IReconciler<string>
{
    /// <summary>How soon to look again while components are not yet available.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    /// <summary>The safety-net look while a cluster waits only for its pods (their events bring each change sooner).</summary>
    public static readonly TimeSpan PodWaitInterval = TimeSpan.FromSeconds(60);

    private readonly KubernetesClient _client;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;
    private readonly IClusterView _view;
    private readonly ResourceClient<DorisCluster> _clusters;
    private readonly ChildApplier _applier;
    private readonly FrontendClaims _frontendClaims;
    private readonly ClaimResizer _resizer;

    // Messages already reported per cluster, so a condition that persists produces one Event, not one per reconcile.
    private readonly ConcurrentDictionary<(string Key, string Reason), (string Message, DateTimeOffset At)> _reported = new();

    /// <summary>A Warning that still holds is counted again on its Event at most this often ("x3 over 15m").</summary>
    internal static readonly TimeSpan WarningRepeat = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, bool> _leaving = new(StringComparer.Ordinal);
    private int _statusWrites;
    private readonly StatusPatch _statusPatch = new();

    private readonly Membership.MembershipStep? _membership;

    private readonly Nodes.DrainStep _drains;
    private readonly Nodes.LocationTags _tags;

    public DorisClusterReconciler(KubernetesClient client, EventRecorder events, TimeProvider time, IClusterView? view = null, Membership.MembershipStep? membership = null, Nodes.DrainStep? drains = null, Nodes.LocationTags? tags = null)
    {
        _tags = tags ?? new Nodes.LocationTags(null);
        _drains = drains ?? new Nodes.DrainStep(null, client.For(ResourceDescriptor.Pods, KubernetesJsonContext.Default.Pod), new Nodes.DrainLog(), time);
        _membership = membership;
        _client = client;
        _events = events;
        _time = time;
        _view = view ?? new ApiClusterView(client);
        _clusters = client.For(DorisClusterResource.Descriptor, () => DorisApiJsonContext.Default.DorisCluster);
        _applier = new ChildApplier(client, _view, time);
        _frontendClaims = new FrontendClaims(client, events);
        _resizer = new ClaimResizer(client, events);
    }

    /// <summary>Writes made to children and status since start (a steady cluster adds none).</summary>
    public int Writes => _applier.Writes + StatusWrites;

    public int StatusWrites => Volatile.Read(ref _statusWrites);

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = Split(key);
        var cluster = await _view.ClusterAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (cluster is null || cluster.Metadata?.DeletionTimestamp is not null)
        {
            ForgetReports(key);
            _statusPatch.Forget(ns, name);
            return ReconcileResult.Done; // deleted: children go with it through owner references, claims stay
        }

        var errors = DorisClusterValidator.Validate(cluster).Where(i => i.Severity == Severity.Error).ToList();
        if (errors.Count > 0)
        {
            var message = string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"));
            await WriteStatusAsync(cluster, StatusBuilder.Invalid(cluster, message, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            await ReportOnceAsync(key, cluster, "Warning", "InvalidSpec", $"{message}. Nothing was changed; fix the spec and apply it again.", cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        if (cluster.Metadata!.Annotations?.GetValueOrDefault(DorisLabels.Paused) == "true")
        {
            await WriteStatusAsync(cluster, StatusBuilder.Paused(cluster, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            await ReportOnceAsync(key, cluster, "Normal", "Paused", $"reconciliation paused by {DorisLabels.Paused}=true; nothing is created, updated or deleted until the annotation is removed", cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        _reported.TryRemove((key, "Paused"), out _);
        _reported.TryRemove((key, "InvalidSpec"), out _);
        var references = await References.LoadAsync(_view, cluster, cancellationToken).ConfigureAwait(false);
        var live = new Dictionary<DorisComponent, StatefulSet?>();
        foreach (var component in DorisComponentExtensions.All)
        {
            live[component] = await _view.ChildAsync("StatefulSet", ns, DorisNames.StatefulSet(name, component), cancellationToken).ConfigureAwait(false) as StatefulSet;
        }

        var restarts = RestartRequests.Decide(cluster, c => live[c], _time.GetUtcNow());
        foreach (var rejected in restarts.Rejected)
        {
            await ReportOnceAsync(key, cluster, "Warning", "RestartTimeInvalid", rejected, cancellationToken, rejected).ConfigureAwait(false);
        }

        Membership.MembershipStep.Outcome? leaving = null;
        if (_membership is not null && (Membership.MembershipStep.Needed(cluster, live) || _leaving.ContainsKey(key)))
        {
            leaving = await _membership.RunAsync(cluster, live, references.ConfigMaps, await _view.PodsAsync(ns, name, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

            // Remembered here as well as in status: a status write can lose a race, and a decommission must not be forgotten.
            if (leaving.Active)
            {
                _leaving[key] = true;
            }
            else
            {
                _leaving.TryRemove(key, out _);
            }

            foreach (var (type, reason, message) in leaving.Events)
            {
                await ReportOnceAsync(key, cluster, type, reason, message, cancellationToken, message).ConfigureAwait(false);
            }
        }

        // Rendered from the spec with replicas held where members are still leaving (status keeps the user's spec),
        // and with rolling-update partitions from the rollout gate while pods are being replaced.
        var renderFrom = leaving?.Cluster ?? cluster;
        Membership.RolloutGate.Decision? rollout = null;
        if (_membership is not null)
        {
            var templates = DesiredClusterBuilder.Build(renderFrom, references.ConfigMaps, restarts.Apply).Objects.OfType<StatefulSet>()
                .Where(s => ComponentOf(name, s.Metadata!.Name!) is not null).ToDictionary(s => ComponentOf(name, s.Metadata!.Name!)!.Value);
            if (Membership.RolloutGate.Pending(templates, live).Count > 0)
            {
                var health = await _membership.HealthAsync(cluster, references.ConfigMaps, cancellationToken).ConfigureAwait(false);
                rollout = Membership.RolloutGate.Plan(templates, live, await _view.PodsAsync(ns, name, cancellationToken).ConfigureAwait(false), health);
            }
        }

        var desired = DesiredClusterBuilder.Build(renderFrom, references.ConfigMaps, restarts.Apply, rollout?.Partitions);
        var changed = new HashSet<DorisComponent>();
        var created = new List<string>();
        foreach (var obj in desired.Objects)
        {
            var component = obj is StatefulSet ? ComponentOf(name, obj.Metadata!.Name!) : null;
            var wrote = await _applier.ApplyAsync(obj, cancellationToken).ConfigureAwait(false);
            if (wrote && component is { } c)
            {
                // An update is news for status ("applying the new spec"); a creation is not (the phase says it),
                // and counting it would make the next reconcile write status again only to drop the words.
                if (live[c] is { } before)
                {
                    changed.Add(c);
                    await RolloutEvents.RecordAsync(_events, cluster, c, before, (StatefulSet)obj, restarts, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    created.Add(obj.Metadata!.Name!);
                }
            }
        }

        await RolloutEvents.CreatedAsync(_events, cluster, created, cancellationToken).ConfigureAwait(false);

        await new DroppedChildren(_client, _applier).RemoveAsync(cluster, desired, cancellationToken).ConfigureAwait(false);

        var pods = await _view.PodsAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var current = new Dictionary<DorisComponent, StatefulSet?>();
        foreach (var component in DorisComponentExtensions.All.Where(c => cluster.Spec!.SpecOf(c) is not null))
        {
            var setName = DorisNames.StatefulSet(name, component);
            current[component] = _applier.WithCreated("StatefulSet", ns, setName, await _view.ChildAsync("StatefulSet", ns, setName, cancellationToken).ConfigureAwait(false)) as StatefulSet;
        }

        var problems = references.Missing.Select(m => $"{m} does not exist; create it (pods that mount it cannot start)").ToList();
        foreach (var set in desired.Objects.OfType<StatefulSet>())
        {
            if (ComponentOf(name, set.Metadata!.Name!) is { } c && current.GetValueOrDefault(c) is { } liveSet)
            {
                problems.AddRange(StatefulSetDrift.Find(set, liveSet));
            }
        }

        problems.AddRange(leaving?.Problems ?? []);
        await _frontendClaims.RecycleAsync(cluster, current.GetValueOrDefault(DorisComponent.Fe), pods, leaving?.Active == true, cancellationToken).ConfigureAwait(false);
        problems.AddRange(await _resizer.ResizeAsync(cluster, current, cancellationToken).ConfigureAwait(false));
        var drained = await DrainAsync(cluster, pods, references.ConfigMaps, cancellationToken).ConfigureAwait(false);
        var tagged = await _tags.RunAsync(cluster, pods, n => _view.NodeAsync(n, cancellationToken), references.ConfigMaps, cancellationToken).ConfigureAwait(false);
        problems.AddRange(drained.Problems);
        problems.AddRange(tagged.Problems);
        foreach (var (type, reason, message, slot) in drained.Events.Concat(tagged.Events))
        {
            await ReportOnceAsync(key, cluster, type, reason, message, cancellationToken, slot).ConfigureAwait(false);
        }

        var status = StatusBuilder.Build(cluster, new StatusBuilder.Inputs(current, pods, references.ConfigMaps, problems, changed) { Leaving = leaving?.Progress, Rollout = rollout?.Waiting }, _time.GetUtcNow());
        await WriteStatusAsync(cluster, status, cancellationToken).ConfigureAwait(false);
        await ReportConditionsAsync(key, cluster, status, cancellationToken).ConfigureAwait(false);
        if (drained.Active)
        {
            return ReconcileResult.UrgentAfter(Nodes.DrainStep.Interval);
        }

        if (tagged.Waiting)
        {
            return ReconcileResult.After(ProgressInterval);
        }

        if (status.Conditions!.Any(c => c.Type == "Ready" && c.Status == "True") && leaving?.Active != true && rollout?.Active != true)
        {
            return _applier.AwaitingCache(desired.Objects) ? ReconcileResult.After(ChildApplier.AwaitingCacheRecheck) : ReconcileResult.Done;
        }

        // Waiting only for pods to start is driven by their watch events; a long look-again is just a safety net.
        // Anything the watches cannot see (a missing Secret, a claim resizing, FE-side steps) is looked at often.
        return ReconcileResult.After(problems.Count == 0 && leaving?.Active != true && rollout?.Active != true ? PodWaitInterval : ProgressInterval);
    }

    /// <summary>Pods on nodes with a drain signal, handed to the drain step (CNs taken off, BEs checked, all reported).</summary>
    private async Task<Nodes.DrainStep.Outcome> DrainAsync(DorisCluster cluster, IReadOnlyList<Pod> pods, IReadOnlyDictionary<string, ConfigMap> configMaps, CancellationToken cancellationToken)
    {
        var draining = new List<(Pod, string)>();
        var since = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => p.Spec?.NodeName is not null && p.Metadata?.DeletionTimestamp is null))
        {
            var node = await _view.NodeAsync(pod.Spec!.NodeName!, cancellationToken).ConfigureAwait(false);
            if (Nodes.DrainSignals.Reason(node) is { } signal)
            {
                draining.Add((pod, signal));
                if (Nodes.DrainSignals.Since(node) is { } at && pod.Metadata?.Uid is { } uid)
                {
                    since[uid] = at;
                }
            }
        }

        return await _drains.RunAsync(cluster, draining, pods, configMaps, cancellationToken, since).ConfigureAwait(false);
    }

    private async Task ReportConditionsAsync(string key, DorisCluster cluster, DorisClusterStatus status, CancellationToken cancellationToken)
    {
        var degraded = status.Conditions!.First(c => c.Type == "Degraded");
        if (degraded.Status == "True")
        {
            await ReportOnceAsync(key, cluster, "Warning", "Degraded", degraded.Message!, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _reported.TryRemove((key, "Degraded"), out _);
        }

        if (status.Conditions!.FirstOrDefault(c => c.Type == AutoscalerBounds.ConditionType) is { Status: "True" } limited)
        {
            await ReportOnceAsync(key, cluster, "Warning", "ReplicasOutsideAutoscalerBounds", limited.Message!, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _reported.TryRemove((key, "ReplicasOutsideAutoscalerBounds"), out _);
        }

        var ready = status.Conditions!.First(c => c.Type == "Ready");
        if (ready.Status == "True" && cluster.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status != "True")
        {
            await _events.RecordAsync(cluster, "Normal", "Available", "every component has all pods ready", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReportOnceAsync(string key, DorisCluster cluster, string type, string reason, string message, CancellationToken cancellationToken, string? slot = null)
    {
        var id = (key, slot is null ? reason : $"{reason}:{slot}");
        var now = _time.GetUtcNow();
        if (_reported.TryGetValue(id, out var last) && last.Message == message && (type != "Warning" || now - last.At < WarningRepeat))
        {
            return;
        }

        _reported[id] = (message, now);
        await _events.RecordAsync(cluster, type, reason, message, cancellationToken).ConfigureAwait(false);
    }

    private void ForgetReports(string key)
    {
        foreach (var id in _reported.Keys.Where(k => k.Key == key).ToList())
        {
            _reported.TryRemove(id, out _);
        }
    }

    private async Task WriteStatusAsync(DorisCluster cluster, DorisClusterStatus status, CancellationToken cancellationToken)
    {
        var before = cluster.Status is null ? null : JsonSerializer.Serialize(cluster.Status, DorisApiJsonContext.Default.DorisClusterStatus);
        var after = JsonSerializer.Serialize(status, DorisApiJsonContext.Default.DorisClusterStatus);
        if (await _statusPatch.WriteAsync(_clusters, cluster.Metadata!, before, after, cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _statusWrites);
        }
    }

    private static DorisComponent? ComponentOf(string cluster, string statefulSet) =>
        DorisComponentExtensions.All.Cast<DorisComponent?>().FirstOrDefault(c => DorisNames.StatefulSet(cluster, c!.Value) == statefulSet);

    private static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("default", key) : (key[..slash], key[(slash + 1)..]);
    }
}
