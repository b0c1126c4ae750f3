using System.Collections.Concurrent;
using System.Globalization;
using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Operator.Cluster;

/// <summary>
/// The claims of FE observers that were scaled away, deleted as apache/doris-operator deletes them, so that a later
/// scale-up starts that ordinal with empty metadata and joins as a new observer (a dropped FE cannot rejoin with its
/// old metadata). Safer than upstream in when: only once the observer has been dropped through SQL (the membership
/// step holds the StatefulSet until then) and its pod is gone. BE and CN claims are never deleted: a BE's data is the
/// cluster's, and upstream keeps CN claims too.
/// </summary>
internal sealed class FrontendClaims(KubernetesClient client, EventRecorder events)
{
    // Per cluster, the FE replica count whose leftover claims were already looked for: one LIST per change.
    private readonly ConcurrentDictionary<string, int> _checked = new(StringComparer.Ordinal);

    public async Task RecycleAsync(DorisCluster cluster, StatefulSet? fe, IReadOnlyList<Pod> pods, bool membersLeaving, CancellationToken cancellationToken)
    {
        var spec = cluster.Spec?.FeSpec;
        var uid = cluster.Metadata?.Uid ?? string.Empty;
        if (membersLeaving || spec?.PersistentVolumes is not { Count: > 0 } || fe?.Spec?.VolumeClaimTemplates is not { Count: > 0 } templates)
        {
            return;
        }

        var desired = spec.Replicas ?? 0;
        var stsName = fe.Metadata!.Name!;
        var removedPodsRemain = pods.Any(p => p.Metadata?.Labels?.GetValueOrDefault(DorisLabels.Component) == DorisComponent.Fe.Key() && ComponentClaims.Ordinal(p.Metadata.Name!, stsName) >= desired);
        if (fe.Spec.Replicas != desired || removedPodsRemain || (_checked.TryGetValue(uid, out var at) && at == desired))
        {
            return;
        }

        var ns = cluster.Metadata!.Namespace;
        var claims = ComponentClaims.Client(client);
        foreach (var claim in await ComponentClaims.ListAsync(client, cluster, DorisComponent.Fe, cancellationToken).ConfigureAwait(false))
        {
            var name = claim.Metadata!.Name!;
            var ordinal = templates.Select(t => ComponentClaims.Ordinal(name, $"{t.Metadata!.Name}-{stsName}")).FirstOrDefault(o => o >= 0, -1);
            if (ordinal < desired || claim.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            try
            {
                await claims.DeleteAsync(ns, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                continue;
            }

            await events.RecordAsync(cluster, "Normal", "ClaimDeleted", $"fe: deleted claim {name} of the observer {stsName}-{ordinal.ToString(CultureInfo.InvariantCulture)}, which was dropped from the FE, so a later scale-up joins it afresh (as apache/doris-operator does)", cancellationToken).ConfigureAwait(false);
        }

        _checked[uid] = desired;
    }
}
