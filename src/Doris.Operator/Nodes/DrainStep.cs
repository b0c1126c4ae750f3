using System.Globalization;
using Doris.Api;
using Doris.Api.Config;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Desired;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Operator.Membership;
using Doris.Sql;
using Doris.Sql.Admin;

namespace Doris.Operator.Nodes;

/// <summary>
/// What the operator does for Doris pods on a node that is being drained. CNs hold no data, so they are taken off
/// at once: decommissioned (the FE stops assigning them queries), dropped, and their pods deleted so the StatefulSet
/// starts them on a node that stays, all well inside a Spot interruption's two minutes. BEs are not moved by us
/// (their PodDisruptionBudget paces the drain); the FE is asked whether every tablet keeps a healthy replica
/// without the draining BEs, and a "no" is reported loudly. FE pods are reported. Without FE access it only reports.
/// </summary>
public sealed class DrainStep(FrontendAccess? access, ResourceClient<Pod> pods, DrainLog log, TimeProvider time)
{
    /// <summary>How soon to look again while a CN is being taken off a node.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    public sealed record Outcome(IReadOnlyList<string> Problems, IReadOnlyList<(string Type, string Reason, string Message, string Slot)> Events, bool Active);

    public DrainLog Log => log;

    /// <param name="signalledAt">When each draining pod's node was signalled (by pod uid, from the taints' timeAdded); drains without one count from their first sighting.</param>
    public async Task<Outcome> RunAsync(DorisCluster cluster, IReadOnlyList<(Pod Pod, string Signal)> draining, IReadOnlyList<Pod> all, IReadOnlyDictionary<string, ConfigMap> configMaps, CancellationToken cancellationToken, IReadOnlyDictionary<string, DateTimeOffset>? signalledAt = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(draining);
        ArgumentNullException.ThrowIfNull(all);
        var key = $"{cluster.Metadata!.Namespace}/{cluster.Metadata.Name}";
        var problems = new List<string>();
        var events = new List<(string, string, string, string)>();
        var now = time.GetUtcNow();

        // A CN whose pod vanished while its drain was open: the node went first.
        var present = all.Where(p => p.Metadata?.DeletionTimestamp is null).Select(p => p.Metadata!.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var uid in log.OpenFor(key).Where(u => !present.Contains(u)))
        {
            if (log.Close(uid, now, finished: false) is { } missed)
            {
                events.Add(("Warning", "DrainMissed", $"{missed.Pod} was on node {missed.Node} ({missed.Signal}) and went with it after {Seconds(missed.Took)} before it could be taken off; the FE may have routed queries to it until then", missed.Pod));
            }
        }

        if (draining.Count == 0)
        {
            return new Outcome(problems, events, false);
        }

        var cns = draining.Where(d => Component(d.Pod) == DorisComponent.Cn).ToList();
        var bes = draining.Where(d => Component(d.Pod) == DorisComponent.Be).ToList();
        foreach (var (pod, signal) in draining.Where(d => Component(d.Pod) is not (DorisComponent.Cn or DorisComponent.Be)))
        {
            var advice = Component(pod) == DorisComponent.Fe
                ? "its PodDisruptionBudget keeps the FE quorum; keep the master off draining nodes"
                : "it will be rescheduled";
            problems.Add($"{Where(pod, signal)}; {advice}");
        }

        foreach (var (pod, signal) in cns)
        {
            var since = signalledAt?.GetValueOrDefault(pod.Metadata!.Uid!) is { } at && at < now ? at : now;
            log.Seen(pod.Metadata!.Uid!, key, pod.Metadata!.Name!, pod.Spec!.NodeName!, signal, since);
        }

        if (access is null)
        {
            problems.AddRange(cns.Select(d => $"{Where(d.Pod, d.Signal)}; it will be rescheduled"));
            problems.AddRange(bes.Select(d => $"{Where(d.Pod, d.Signal)}; its PodDisruptionBudget lets one BE go at a time"));
            return new Outcome(problems, events, false);
        }

        var spec = cluster.Spec!;
        ComponentConfig Config(DorisComponent c) => spec.SpecOf(c) is { } s ? ConfigResolver.Resolve(c, s, configMaps, []) : ComponentConfig.None;
        IReadOnlyList<BackendInfo> registered = [];
        string Address(Pod pod, DorisComponent c) =>
            Membership.MemberAddress.Of(DorisNames.PodFqdn(cluster.Metadata.Name!, c, Ordinal(pod), cluster.Metadata.Namespace ?? "default"), pod.Status?.PodIP, Config(c).HeartbeatPort, registered);
        var active = false;
        try
        {
            var admin = await access.ForAsync(cluster, Config(DorisComponent.Fe), cancellationToken).ConfigureAwait(false);
            var backends = await admin.ShowBackendsAsync(cancellationToken).ConfigureAwait(false);
            registered = backends;
            foreach (var (pod, signal) in cns)
            {
                active |= await TakeOffAsync(admin, key, pod, signal, Address(pod, DorisComponent.Cn), backends, problems, events, cancellationToken).ConfigureAwait(false);
            }

            if (bes.Count > 0)
            {
                var risk = await TabletRisk.CheckAsync(admin, [.. bes.Select(b => Address(b.Pod, DorisComponent.Be))], backends, spec.BeSpec?.EnablePodDisruptionBudget != false, BudgetHeld(all, spec.BeSpec?.Replicas ?? 0), cancellationToken).ConfigureAwait(false);
                foreach (var (pod, signal) in bes)
                {
                    problems.Add($"{Where(pod, signal)}; {risk.Message}");
                    events.Add(risk.AtRisk ? ("Warning", "TabletsAtRisk", $"{pod.Metadata!.Name} on node {pod.Spec!.NodeName} ({signal}): {risk.Message}", pod.Metadata.Name!)
                                           : ("Normal", "DrainChecked", $"{pod.Metadata!.Name} on node {pod.Spec!.NodeName} ({signal}): {risk.Message}", pod.Metadata.Name!));
                }
            }
        }
        catch (MySqlException e)
        {
            var message = $"cannot reach the FE to take members off draining nodes: {e.Message}; CNs stay registered and tablets cannot be checked until it answers";
            problems.AddRange(cns.Concat(bes).Select(d => $"{Where(d.Pod, d.Signal)}; {message}"));
            events.Add(("Warning", "FrontendUnavailable", message, "drain"));
            active = cns.Count > 0;
        }

        return new Outcome(problems, events, active);
    }

    /// <summary>
    /// One member that holds no data of its own (a CN, a compute-group member): decommission (queries stop), then
    /// drop, then delete the pod. Returns true while not done. <paramref name="key"/> names its cluster in the drain log.
    /// </summary>
    public async Task<bool> TakeOffAsync(IDorisAdmin admin, string key, Pod pod, string signal, string address, IReadOnlyList<BackendInfo> backends, List<string> problems, List<(string, string, string, string)> events, CancellationToken cancellationToken)
    {
        var name = pod.Metadata!.Name!;
        var member = backends.FirstOrDefault(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase));
        if (member is { Decommissioned: false })
        {
            // disable_query first: the FE plans no new fragments on it at once; the decommission then retires it.
            await admin.DisableQueryAsync(address, cancellationToken).ConfigureAwait(false);
            await admin.DecommissionBackendsAsync([address], cancellationToken).ConfigureAwait(false);
            events.Add(("Normal", "Draining", $"{name} is on node {pod.Spec!.NodeName} ({signal}): queries disabled and decommissioned so the FE stops assigning it work", name));
            problems.Add($"{Where(pod, signal)}; taking it off: decommissioned, dropping next");
            return true;
        }

        if (member is not null)
        {
            if (member.TabletNum > 0)
            {
                problems.Add($"{Where(pod, signal)}; decommissioned, waiting for {member.TabletNum} cached tablets to go");
                return true;
            }

            await admin.DropBackendAsync(address, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await pods.DeleteAsync(pod.Metadata.Namespace, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            // Already gone: the drain ended anyway.
        }

        if (log.Close(pod.Metadata.Uid!, time.GetUtcNow(), finished: true) is { } record)
        {
            var budget = record.Budget is { } b ? $" of the {Seconds(b)} notice" : string.Empty;
            events.Add((record.InBudget ? "Normal" : "Warning", "Drained", $"{name} left node {record.Node} ({signal}) in {Seconds(record.Took)}{budget}: dropped from the FE, pod deleted so it starts on another node", name));
        }

        return false;
    }

    /// <summary>A BE pod missing, terminating or not ready: the BE budget allows no eviction until it is back.</summary>
    private static bool BudgetHeld(IReadOnlyList<Pod> all, int replicas)
    {
        var bes = all.Where(p => Component(p) == DorisComponent.Be).ToList();
        return bes.Count < replicas || bes.Any(p => p.Metadata!.DeletionTimestamp is not null || p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") != true);
    }

    private static string Where(Pod pod, string signal) =>
        $"pod {pod.Metadata!.Name} ({pod.Metadata.Labels?.GetValueOrDefault(DorisLabels.Component) ?? pod.Metadata.Labels?.GetValueOrDefault("app.doris.disaggregated.type")}) is on node {pod.Spec!.NodeName}, which is being drained ({signal})";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";

    private static DorisComponent? Component(Pod pod) =>
        DorisComponentExtensions.All.Cast<DorisComponent?>().FirstOrDefault(c => c!.Value.Key() == pod.Metadata?.Labels?.GetValueOrDefault(DorisLabels.Component));

    private static int Ordinal(Pod pod) => DorisNames.Ordinal(pod.Metadata!.Name!);
}
