using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Cluster;

/// <summary>The Event that says why a StatefulSet was written: created, restart requested, config changed, scaled or updated.</summary>
internal static class RolloutEvents
{
    /// <summary>
    /// One Event for the StatefulSets a reconcile created on a cluster that already has a status: a component added
    /// later, or one deleted by hand and made again. A new cluster's first pass records none: the user's own create is
    /// the cause, the status written in the same pass says so, and an Event there would be one more write per
    /// cluster (10 instead of 9 requests for a minimal cluster's 8 objects) that tells the user nothing new.
    /// </summary>
    public static async Task CreatedAsync(EventRecorder events, DorisCluster cluster, IReadOnlyList<string> statefulSets, CancellationToken cancellationToken)
    {
        if (statefulSets.Count > 0 && cluster.Status is not null)
        {
            await events.RecordAsync(cluster, "Normal", "Created", $"created StatefulSet{(statefulSets.Count > 1 ? "s" : string.Empty)} {string.Join(", ", statefulSets)}", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Why an existing StatefulSet was written.</summary>
    public static async Task RecordAsync(EventRecorder events, DorisCluster cluster, DorisComponent component, StatefulSet before, StatefulSet after, RestartRequests.Decision restarts, CancellationToken cancellationToken)
    {
        var sts = after.Metadata!.Name;

        string? Annotation(StatefulSet s, string k) => s.Spec?.Template?.Metadata?.Annotations?.GetValueOrDefault(k);
        if (restarts.Accepted.Contains(component))
        {
            await events.RecordAsync(cluster, "Normal", "RollingRestart", $"{sts}: rolling restart requested by {DorisLabels.RestartedAt(component)}; pods are replaced one at a time", cancellationToken).ConfigureAwait(false);
        }
        else if (Annotation(before, DorisLabels.ConfigHash) is { } old && Annotation(after, DorisLabels.ConfigHash) is { } @new && old != @new)
        {
            await events.RecordAsync(cluster, "Normal", "ConfigChanged", $"{sts}: the core config file changed; pods restart one at a time to load it", cancellationToken).ConfigureAwait(false);
        }
        else if (before.Spec?.Replicas != after.Spec?.Replicas && after.Spec?.Replicas is { } replicas)
        {
            await events.RecordAsync(cluster, "Normal", "Scaled", $"{sts}: replicas {before.Spec?.Replicas} -> {replicas}", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await events.RecordAsync(cluster, "Normal", "Updated", $"{sts}: spec changed; pods are updated one at a time", cancellationToken).ConfigureAwait(false);
        }
    }
}
