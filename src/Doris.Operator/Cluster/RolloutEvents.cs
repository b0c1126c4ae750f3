using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Cluster;

/// <summary>The Event that says why a StatefulSet was written: created, restart requested, config changed, scaled or updated.</summary>
internal static class RolloutEvents
{
    public static async Task RecordAsync(EventRecorder events, DorisCluster cluster, DorisComponent component, StatefulSet? before, StatefulSet after, RestartRequests.Decision restarts, CancellationToken cancellationToken)
    {
        var sts = after.Metadata!.Name;
        if (before is null)
        {
            await events.RecordAsync(cluster, "Normal", "Created", $"created StatefulSet {sts}", cancellationToken).ConfigureAwait(false);
            return;
        }

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
