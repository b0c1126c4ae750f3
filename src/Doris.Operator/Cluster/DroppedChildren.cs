using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Desired;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Operator.Cluster;

internal sealed class DroppedChildren(KubernetesClient client, ChildApplier applier)
{
    /// <summary>
    /// A component removed from the spec (or a CN autoscaler removed from cnSpec) loses its StatefulSet, Services,
    /// PDB and HPA; PersistentVolumeClaims stay, so data is never deleted by editing the spec.
    /// </summary>
    public async Task RemoveAsync(DorisCluster cluster, DesiredCluster desired, CancellationToken cancellationToken)
    {
        var ns = cluster.Metadata!.Namespace ?? "default";
        var name = cluster.Metadata.Name!;
        var uid = cluster.Metadata.Uid!;
        var wanted = desired.Objects.Select(o => $"{o.Kind}/{o.Metadata!.Name}").ToHashSet(StringComparer.Ordinal);
        var statefulSets = client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet);
        var services = client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service);
        var budgets = client.For(ResourceDescriptor.PodDisruptionBudgets, KubernetesJsonContext.Default.PodDisruptionBudget);
        var autoscalers = client.For(ResourceDescriptor.HorizontalPodAutoscalers, KubernetesJsonContext.Default.HorizontalPodAutoscaler);
        foreach (var component in DorisComponentExtensions.All)
        {
            var sts = DorisNames.StatefulSet(name, component);
            if (!wanted.Contains($"StatefulSet/{sts}"))
            {
                await applier.DeleteOwnedAsync(statefulSets, "StatefulSet", ns, sts, uid, cancellationToken).ConfigureAwait(false);
                await applier.DeleteOwnedAsync(services, "Service", ns, DorisNames.InternalService(name, component), uid, cancellationToken).ConfigureAwait(false);
                await applier.DeleteOwnedAsync(services, "Service", ns, DorisNames.ExternalService(name, component), uid, cancellationToken).ConfigureAwait(false);
                await applier.DeleteOwnedAsync(budgets, "PodDisruptionBudget", ns, DorisNames.DisruptionBudget(name, component), uid, cancellationToken).ConfigureAwait(false);
            }
        }

        var hpa = DorisNames.Autoscaler(name);
        if (!wanted.Contains($"HorizontalPodAutoscaler/{hpa}"))
        {
            await applier.DeleteOwnedAsync(autoscalers, "HorizontalPodAutoscaler", ns, hpa, uid, cancellationToken).ConfigureAwait(false);
        }
    }
}
