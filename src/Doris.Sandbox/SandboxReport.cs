using System.Globalization;
using System.Text;
using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;

namespace Doris.Sandbox;

/// <summary>What the sandbox shows people: a one-line progress summary that changes as the cluster moves, and tables at the end.</summary>
public static class SandboxReport
{
    /// <summary>e.g. <c>fe 3/3 available · be 1/3 initializing · Ready=False (waiting for pods to become ready)</c>.</summary>
    public static string Progress(DorisCluster cluster, IReadOnlyList<Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var parts = new List<string>();
        foreach (var component in DorisComponentExtensions.All)
        {
            if (cluster.Spec?.SpecOf(component) is null)
            {
                continue;
            }

            var mine = pods.Where(p => p.Metadata?.Labels?.GetValueOrDefault(DorisLabels.Component) == component.Key() && p.Metadata.Labels.GetValueOrDefault(DorisLabels.Cluster) == cluster.Metadata!.Name).ToList();
            var ready = mine.Count(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
            var phase = StatusOf(cluster.Status, component)?.ComponentCondition?.Phase ?? "pending";
            parts.Add($"{component.Key()} {ready}/{mine.Count} {phase}");
        }

        var readyCondition = cluster.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        parts.Add(readyCondition is null ? "Ready=Unknown (operator has not reported yet)" : $"Ready={readyCondition.Status} ({readyCondition.Message})");
        return string.Join(" · ", parts);
    }

    /// <summary>Components, pods (with node, zone and capacity type) and nodes, as aligned text tables.</summary>
    public static string Summary(DorisCluster cluster, TypedStore store)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(store);
        var ns = cluster.Metadata!.Namespace;
        var pods = store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod, ns, $"{DorisLabels.Cluster}={cluster.Metadata.Name}");
        var nodes = store.List(TypedStore.Nodes, KubernetesJsonContext.Default.Node).ToDictionary(n => n.Metadata!.Name!, StringComparer.Ordinal);
        var text = new StringBuilder();
        text.Append(Table(["COMPONENT", "STATEFULSET", "PHASE", "READY", "SERVICE"], DorisComponentExtensions.All
            .Where(c => cluster.Spec?.SpecOf(c) is not null)
            .Select(c =>
            {
                var status = StatusOf(cluster.Status, c);
                var mine = pods.Where(p => p.Metadata?.Labels?.GetValueOrDefault(DorisLabels.Component) == c.Key()).ToList();
                return new[] { c.Key(), DorisNames.StatefulSet(cluster.Metadata.Name!, c), status?.ComponentCondition?.Phase ?? "-", $"{mine.Count(Ready)}/{mine.Count}", status?.AccessService ?? "-" };
            })));
        text.Append('\n');
        text.Append(Table(["POD", "READY", "NODE", "ZONE", "CAPACITY"], pods.OrderBy(p => p.Metadata!.Name, StringComparer.Ordinal).Select(p =>
        {
            var node = p.Spec?.NodeName is { } n && nodes.TryGetValue(n, out var found) ? found : null;
            var labels = node?.Metadata?.Labels ?? new Dictionary<string, string>();
            return new[] { p.Metadata!.Name!, Ready(p) ? "yes" : "no", p.Spec?.NodeName ?? "<pending>", labels.GetValueOrDefault("topology.kubernetes.io/zone") ?? "-", labels.GetValueOrDefault(NodeLabels.EksCapacityType) ?? "-" };
        })));
        text.Append('\n');
        var allPods = store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod);
        text.Append(Table(["NODE", "ZONE", "INSTANCE", "CAPACITY", "PODS"], nodes.Values.Select(n =>
        {
            var labels = n.Metadata!.Labels!;
            return new[] { n.Metadata.Name!, labels["topology.kubernetes.io/zone"], labels["node.kubernetes.io/instance-type"], labels[NodeLabels.EksCapacityType], allPods.Count(p => p.Spec?.NodeName == n.Metadata.Name).ToString(CultureInfo.InvariantCulture) };
        })));
        return text.ToString();
    }

    /// <summary>Why the cluster is not Ready: its conditions and every pod that is not, with the scheduler's or kubelet's reason.</summary>
    public static string WhyNotReady(DorisCluster cluster, IReadOnlyList<Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var lines = new List<string>();
        foreach (var c in cluster.Status?.Conditions ?? [])
        {
            lines.Add($"condition {c.Type}={c.Status} {c.Reason}: {c.Message}");
        }

        foreach (var pod in pods.Where(p => !Ready(p)))
        {
            var why = pod.Status?.Conditions?.FirstOrDefault(c => c.Status == "False" && !string.IsNullOrEmpty(c.Message))?.Message
                ?? pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Reason
                ?? (pod.Status?.Phase == "Running" ? "running but not passing its readiness probe" : pod.Status?.Phase ?? "Pending");
            lines.Add($"pod {pod.Metadata!.Name}: {why}");
        }

        return lines.Count == 0 ? "no status yet: is the operator running?" : string.Join('\n', lines);
    }

    public static string Table(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header.ToArray() };
        all.AddRange(rows);
        var widths = Enumerable.Range(0, header.Count).Select(i => all.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            text.Append(string.Join("   ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }

        return text.ToString();
    }

    private static bool Ready(Pod p) => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true && p.Metadata?.DeletionTimestamp is null;

    private static ComponentStatus? StatusOf(DorisClusterStatus? status, DorisComponent component) => component switch
    {
        DorisComponent.Fe => status?.FeStatus,
        DorisComponent.Be => status?.BeStatus,
        DorisComponent.Cn => status?.CnStatus,
        _ => status?.BrokerStatus,
    };
}
