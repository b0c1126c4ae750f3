using Doris.Api;
using Doris.Api.Config;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Desired;
using Doris.Kubernetes.Models;
using Doris.Sql;
using Doris.Sql.Admin;

namespace Doris.Operator.Membership;

/// <summary>
/// The SQL side of a reconcile, run only while members are leaving (a component's replicas below its live
/// StatefulSet, or a decommission still under way), so a steady cluster never talks to the FE. It reads the FE's
/// view, asks <see cref="MembershipPlanner"/> what is safe, runs those statements, and returns the cluster with
/// replicas held where pods must stay. Any SQL failure holds every shrinking component where it is: no
/// destructive step is taken on partial information.
/// </summary>
public sealed class MembershipStep(FrontendAccess access)
{
    public const string ConditionType = "Decommissioning";

    public sealed record Outcome(DorisCluster Cluster, IReadOnlyList<string> Problems, string? Progress, IReadOnlyList<(string Type, string Reason, string Message)> Events)
    {
        public bool Active => Progress is not null;
    }

    public static bool Needed(DorisCluster cluster, IReadOnlyDictionary<DorisComponent, StatefulSet?> live)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(live);
        var shrinking = new[] { DorisComponent.Fe, DorisComponent.Be, DorisComponent.Cn }.Any(c =>
            cluster.Spec!.SpecOf(c) is { } spec && live.GetValueOrDefault(c)?.Spec?.Replicas is { } current && spec.DesiredReplicas() < current);
        return shrinking || cluster.Status?.Conditions?.Any(x => x.Type == ConditionType && x.Status == "True") == true;
    }

    /// <param name="pods">The cluster's pods: a member registered by pod IP (<c>HOST_TYPE=IP</c>) is found through its pod.</param>
    public async Task<Outcome> RunAsync(DorisCluster cluster, IReadOnlyDictionary<DorisComponent, StatefulSet?> live, IReadOnlyDictionary<string, ConfigMap> configMaps, IReadOnlyList<Pod> pods, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var spec = cluster.Spec!;
        var ns = cluster.Metadata!.Namespace ?? "default";
        var name = cluster.Metadata.Name!;
        var problems = new List<string>();
        var events = new List<(string, string, string)>();
        var progress = new List<string>();
        var held = new Dictionary<DorisComponent, int>();
        int LiveReplicas(DorisComponent c) => live.GetValueOrDefault(c)?.Spec?.Replicas ?? spec.SpecOf(c)?.Replicas ?? 0;
        ComponentConfig Config(DorisComponent c) => spec.SpecOf(c) is { } s ? ConfigResolver.Resolve(c, s, configMaps, []) : ComponentConfig.None;
        string Host(DorisComponent c, int ordinal) => DorisNames.PodFqdn(name, c, ordinal, ns);
        string? PodIp(DorisComponent c, int ordinal) => pods.FirstOrDefault(p => p.Metadata?.Name == DorisNames.Pod(name, c, ordinal))?.Status?.PodIP;
        try
        {
            var fe = Config(DorisComponent.Fe);
            var admin = await access.ForAsync(cluster, fe, cancellationToken).ConfigureAwait(false);
            if (spec.BeSpec is { } be || spec.CnSpec is not null)
            {
                var backends = await admin.ShowBackendsAsync(cancellationToken).ConfigureAwait(false);
                // The floor costs a walk over every table's partitions: read only when BEs are about to leave.
                var shrinking = spec.BeSpec is { } beSpec && beSpec.DesiredReplicas() < LiveReplicas(DorisComponent.Be);
                var floor = shrinking ? await admin.ReplicationFloorAsync(cancellationToken).ConfigureAwait(false) : ReplicationFloor.None;
                foreach (var component in new[] { DorisComponent.Be, DorisComponent.Cn })
                {
                    if (spec.SpecOf(component) is not { } componentSpec || live.GetValueOrDefault(component) is null)
                    {
                        continue;
                    }

                    var port = Config(component).HeartbeatPort;
                    var plan = MembershipPlanner.Backends(componentSpec.DesiredReplicas(), LiveReplicas(component), i => MemberAddress.Of(Host(component, i), PodIp(component, i), port, backends),
                        backends, floor, component == DorisComponent.Cn); // matched by address: a dead member's NodeRole is empty
                    await ApplyAsync(admin, component, plan, events, cancellationToken).ConfigureAwait(false);
                    held[component] = plan.Replicas;
                    if (plan.Refusal is { } refusal)
                    {
                        problems.Add(refusal);
                        events.Add(("Warning", "ScaleInRefused", refusal));
                    }

                    if (plan.Progress is { } p)
                    {
                        progress.Add($"{component.Key()}: {p}");
                    }
                }
            }

            if (spec.FeSpec is { } feSpec && live.GetValueOrDefault(DorisComponent.Fe) is not null)
            {
                var frontends = await admin.ShowFrontendsAsync(cancellationToken).ConfigureAwait(false);
                var plan = MembershipPlanner.Frontends(feSpec.Replicas ?? 0, LiveReplicas(DorisComponent.Fe), feSpec.ElectionNumber ?? DorisDefaults.ElectionNumber,
                    i => MemberAddress.Of(Host(DorisComponent.Fe, i), PodIp(DorisComponent.Fe, i), fe.EditLogPort, frontends.Select(f => f.Address)), frontends);
                await ApplyAsync(admin, DorisComponent.Fe, plan, events, cancellationToken).ConfigureAwait(false);
                held[DorisComponent.Fe] = plan.Replicas;
                if (plan.Refusal is { } refusal)
                {
                    problems.Add(refusal);
                    events.Add(("Warning", "ScaleInRefused", refusal));
                }
            }
        }
        catch (MySqlException e)
        {
            // Partial information: keep every shrinking component exactly where it is and say why.
            foreach (var c in new[] { DorisComponent.Fe, DorisComponent.Be, DorisComponent.Cn })
            {
                if (spec.SpecOf(c) is { } s && live.GetValueOrDefault(c)?.Spec?.Replicas is { } current && s.DesiredReplicas() < current)
                {
                    held[c] = current;
                }
            }

            var message = $"cannot complete the membership check with the FE: {e.Message}; no member was removed and scale-in waits until the FE answers";
            problems.Add(message);
            events.Add(("Warning", "FrontendUnavailable", message));
            progress.Add("waiting for the FE to answer before removing members");
        }

        var adjusted = cluster with { Spec = Hold(spec, held) };
        return new Outcome(adjusted, problems, progress.Count > 0 ? string.Join("; ", progress) : null, events);
    }

    /// <summary>The rollout gate's health signal: every member alive in the FE and no unhealthy tablets.</summary>
    public async Task<RolloutGate.Health> HealthAsync(DorisCluster cluster, IReadOnlyDictionary<string, ConfigMap> configMaps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        try
        {
            var fe = cluster.Spec!.FeSpec is { } s ? ConfigResolver.Resolve(DorisComponent.Fe, s, configMaps, []) : ComponentConfig.None;
            var admin = await access.ForAsync(cluster, fe, cancellationToken).ConfigureAwait(false);
            if ((await admin.ShowBackendsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(b => !b.Alive && !b.Decommissioned) is { } deadBackend)
            {
                return new RolloutGate.Health(false, $"backend {deadBackend.Host.Split('.')[0]} is not alive in the FE");
            }

            if ((await admin.ShowFrontendsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(f => !f.Alive) is { } deadFrontend)
            {
                return new RolloutGate.Health(false, $"frontend {deadFrontend.Host.Split('.')[0]} is not alive");
            }

            var tablets = await admin.TabletHealthAsync(cancellationToken).ConfigureAwait(false);
            return tablets.Unhealthy > 0
                ? new RolloutGate.Health(false, $"{tablets.Unhealthy} of {tablets.Tablets} tablets are not fully replicated yet")
                : RolloutGate.Health.Good;
        }
        catch (MySqlException e)
        {
            return new RolloutGate.Health(false, $"cannot ask the FE: {e.Message}");
        }
    }

    private static async Task ApplyAsync(IDorisAdmin admin, DorisComponent component, MembershipPlan plan, List<(string, string, string)> events, CancellationToken cancellationToken)
    {
        if (plan.Cancel.Count > 0)
        {
            await admin.CancelDecommissionAsync(plan.Cancel, cancellationToken).ConfigureAwait(false);
            events.Add(("Normal", "DecommissionCancelled", $"{component.Key()}: replicas were raised, so the decommission of {string.Join(", ", plan.Cancel)} was cancelled"));
        }

        if (plan.Decommission.Count > 0)
        {
            await admin.DecommissionBackendsAsync(plan.Decommission, cancellationToken).ConfigureAwait(false);
            events.Add(("Normal", "Decommissioning", $"{component.Key()}: decommissioning {string.Join(", ", plan.Decommission)}; their pods stay until Doris has moved their tablets away"));
        }

        foreach (var address in plan.DropBackends)
        {
            await admin.DropBackendAsync(address, cancellationToken).ConfigureAwait(false);
            events.Add(("Normal", "MemberDropped", $"{component.Key()}: dropped {address} from the FE (no tablets left); its pod is removed next"));
        }

        foreach (var address in plan.DropObservers)
        {
            await admin.DropFrontendAsync(address, observer: true, cancellationToken).ConfigureAwait(false);
            events.Add(("Normal", "MemberDropped", $"fe: dropped observer {address} before removing its pod"));
        }
    }

    private static DorisClusterSpec Hold(DorisClusterSpec spec, IReadOnlyDictionary<DorisComponent, int> held) => spec with
    {
        FeSpec = spec.FeSpec is { } fe && held.TryGetValue(DorisComponent.Fe, out var f) ? fe with { Replicas = f } : spec.FeSpec,
        BeSpec = spec.BeSpec is { } be && held.TryGetValue(DorisComponent.Be, out var b) ? be with { Replicas = b } : spec.BeSpec,
        CnSpec = spec.CnSpec is { } cn && held.TryGetValue(DorisComponent.Cn, out var c) ? cn with { Replicas = c } : spec.CnSpec,
    };
}
