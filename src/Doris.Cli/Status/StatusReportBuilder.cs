using Doris.Api;
using Doris.Api.Naming;
using Doris.Kubernetes.Models;
using Doris.Operator.Nodes;

namespace Doris.Cli.Status;

/// <summary>Turns a snapshot into the report (pure: no I/O, the clock is the snapshot's).</summary>
internal static class StatusReportBuilder
{
    private const int WarningsShown = 10;

    public static StatusReport Build(ClusterSnapshot s)
    {
        var cluster = s.Cluster;
        var meta = cluster.Metadata!;
        var conditions = (cluster.Status?.Conditions ?? []).Select(c => new ConditionLine(c.Type!, c.Status!, c.Reason, c.Message, c.LastTransitionTime)).ToList();

        var components = new List<ComponentLine>();
        foreach (var component in DorisComponentExtensions.All.Where(c => cluster.Spec?.SpecOf(c) is not null))
        {
            var name = DorisNames.StatefulSet(meta.Name!, component);
            var set = s.StatefulSets.FirstOrDefault(x => x.Metadata?.Name == name);
            var phase = component switch
            {
                DorisComponent.Fe => cluster.Status?.FeStatus,
                DorisComponent.Be => cluster.Status?.BeStatus,
                DorisComponent.Cn => cluster.Status?.CnStatus,
                _ => cluster.Status?.BrokerStatus,
            };
            components.Add(new ComponentLine(
                component.Key(), name, set?.Spec?.Replicas ?? 0, set?.Status?.ReadyReplicas ?? 0, set?.Status?.UpdatedReplicas ?? 0,
                set?.Status?.CurrentRevision, set?.Status?.UpdateRevision, set?.Spec?.UpdateStrategy?.RollingUpdate?.Partition ?? 0,
                set is null ? "missing" : phase?.ComponentCondition?.Phase, phase?.ComponentCondition?.Message));
        }

        var pods = s.Pods.OrderBy(p => p.Metadata!.Name, StringComparer.Ordinal).Select(p => Pod(p, s.Nodes)).ToList();
        var budgets = s.Budgets.Select(b => new BudgetLine(
            b.Metadata!.Name!,
            b.Spec?.MinAvailable is { } min ? $"minAvailable {min}" : b.Spec?.MaxUnavailable is { } max ? $"maxUnavailable {max}" : "-",
            b.Status?.CurrentHealthy ?? 0, b.Status?.DesiredHealthy ?? 0, b.Status?.DisruptionsAllowed ?? 0)).OrderBy(b => b.Name, StringComparer.Ordinal).ToList();

        var drains = s.Pods.Where(p => p.Spec?.NodeName is not null)
            .GroupBy(p => p.Spec!.NodeName!, StringComparer.Ordinal)
            .Select(g => (Node: s.Nodes.GetValueOrDefault(g.Key), Name: g.Key, Pods: g.Select(p => p.Metadata!.Name!).Order(StringComparer.Ordinal).ToList()))
            .Where(x => DrainSignals.Reason(x.Node) is not null)
            .Select(x => new DrainLine(x.Name, DrainSignals.Reason(x.Node)!, DrainSignals.Since(x.Node), x.Pods))
            .OrderBy(d => d.Node, StringComparer.Ordinal).ToList();

        var warnings = s.Events.Where(e => e.Type == "Warning")
            .OrderByDescending(e => e.LastTimestamp ?? e.EventTime ?? e.Metadata?.CreationTimestamp)
            .Take(WarningsShown)
            .Select(e => new EventLine(e.LastTimestamp ?? e.EventTime ?? e.Metadata?.CreationTimestamp, e.Reason ?? string.Empty, $"{e.InvolvedObject?.Kind}/{e.InvolvedObject?.Name}", e.Count ?? 1, e.Message ?? string.Empty))
            .ToList();

        return new StatusReport(meta.Name!, meta.Namespace ?? "default", meta.Generation, cluster.Status?.ObservedGeneration, conditions, components, pods, budgets, drains, warnings, Frontend(s.Frontend));
    }

    private static PodLine Pod(Pod p, IReadOnlyDictionary<string, Node> nodes)
    {
        var node = p.Spec?.NodeName is { } n ? nodes.GetValueOrDefault(n) : null;
        var labels = node?.Metadata?.Labels ?? new Dictionary<string, string>();
        var ready = p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        var waiting = p.Status?.ContainerStatuses?.Select(c => c.State?.Waiting).FirstOrDefault(w => w?.Reason is "CrashLoopBackOff" or "ImagePullBackOff" or "ErrImagePull" or "CreateContainerConfigError");
        var problem = p.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False")?.Message
                      ?? (waiting is not null ? $"{waiting.Reason}: {waiting.Message}" : null);
        return new PodLine(
            p.Metadata!.Name!,
            p.Metadata.Labels?.GetValueOrDefault(DorisLabels.Component) ?? "-",
            p.Status?.Phase ?? "Unknown",
            ready,
            p.Status?.ContainerStatuses?.Sum(c => c.RestartCount ?? 0) ?? 0,
            p.Spec?.NodeName,
            labels.GetValueOrDefault("topology.kubernetes.io/zone"),
            Capacity(labels),
            p.Metadata.Labels?.GetValueOrDefault("controller-revision-hash"),
            p.Metadata.DeletionTimestamp is not null,
            problem);
    }

    /// <summary>Spot or on-demand, from whichever provisioner labelled the node (EKS managed groups, Karpenter, our planner).</summary>
    internal static string? Capacity(IReadOnlyDictionary<string, string> labels) =>
        NodeLabels.SpotMarkers.Any(m => labels.GetValueOrDefault(m.Key) == m.Value) ? "spot"
        : NodeLabels.SpotMarkers.Any(m => labels.ContainsKey(m.Key)) ? "on-demand"
        : null;

    private static FrontendSection? Frontend(FrontendView? fe) => fe is null ? null : new FrontendSection(
        fe.Address,
        fe.Error,
        [.. fe.Frontends.Select(f => new FrontendLine(f.Host, f.Role, f.IsMaster, f.Alive, f.Join, f.Version))],
        [.. fe.Backends.Select(b => new BackendLine(b.Id, b.Host, b.IsComputeNode ? "computation" : "mix", b.Alive, b.TabletNum, b.Decommissioned, b.Location))],
        fe.Tablets?.Tablets,
        fe.Tablets?.Unhealthy,
        fe.Replication?.Replicas);
}
