using System.Text.Json;
using Doris.Api;
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
/// Event, nothing else written), render the desired children, write only those that differ, then write status
/// only when it changed. Keys are <c>namespace/name</c>.
/// </summary>
public sealed class DorisClusterReconciler(KubernetesClient client, EventRecorder events, TimeProvider time) : IReconciler<string>
{
    /// <summary>How soon to look again while components are not yet available.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    private readonly ResourceClient<DorisCluster> _clusters = client.For(DorisClusterResource.Descriptor, DorisApiJsonContext.Default.DorisCluster);
    private readonly ResourceClient<ConfigMap> _configMaps = client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap);
    private readonly ResourceClient<StatefulSet> _statefulSets = client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet);
    private readonly ChildApplier _applier = new(client);

    /// <summary>Writes made to children and status since start (a steady cluster adds none).</summary>
    public int Writes => _applier.Writes + StatusWrites;

    public int StatusWrites { get; private set; }

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = Split(key);
        DorisCluster cluster;
        try
        {
            cluster = await _clusters.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return ReconcileResult.Done; // deleted: children go with it through owner references
        }

        var errors = DorisClusterValidator.Validate(cluster).Where(i => i.Severity == Severity.Error).ToList();
        if (errors.Count > 0)
        {
            var message = string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"));
            if (await WriteStatusAsync(cluster, StatusBuilder.Invalid(cluster, message, time.GetUtcNow()), cancellationToken).ConfigureAwait(false))
            {
                await events.RecordAsync(cluster, "Warning", "InvalidSpec", $"{message}. Nothing was changed; fix the spec and apply it again.", cancellationToken).ConfigureAwait(false);
            }

            return ReconcileResult.Done;
        }

        var configMaps = new Dictionary<string, ConfigMap>(StringComparer.Ordinal);
        foreach (var cm in (await _configMaps.ListAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Items)
        {
            configMaps[cm.Metadata!.Name!] = cm;
        }

        var desired = DesiredClusterBuilder.Build(cluster, configMaps);
        var cnAutoscaled = cluster.Spec!.CnSpec?.AutoScalingPolicy is not null;
        var cnStatefulSet = Api.Naming.DorisNames.StatefulSet(name, DorisComponent.Cn);
        foreach (var obj in desired.Objects)
        {
            await _applier.ApplyAsync(obj, cancellationToken, replicasOwnedElsewhere: cnAutoscaled && obj is StatefulSet && obj.Metadata!.Name == cnStatefulSet).ConfigureAwait(false);
        }

        await RemoveDroppedAsync(cluster, desired, cancellationToken).ConfigureAwait(false);

        var statefulSets = new Dictionary<DorisComponent, StatefulSet?>();
        foreach (var component in DorisComponentExtensions.All.Where(c => cluster.Spec!.SpecOf(c) is not null))
        {
            statefulSets[component] = await _statefulSets.GetAsync(ns, Api.Naming.DorisNames.StatefulSet(name, component), cancellationToken).ConfigureAwait(false);

        }

        var status = StatusBuilder.Build(cluster, statefulSets, time.GetUtcNow());
        await WriteStatusAsync(cluster, status, cancellationToken).ConfigureAwait(false);
        return status.Conditions!.Any(c => c.Type == "Ready" && c.Status == "True") ? ReconcileResult.Done : ReconcileResult.After(ProgressInterval);
    }

    /// <summary>
    /// A component removed from the spec (or a CN autoscaler removed from cnSpec) loses its StatefulSet, Services,
    /// PDB and HPA; PersistentVolumeClaims stay, so data is never deleted by editing the spec.
    /// </summary>
    private async Task RemoveDroppedAsync(DorisCluster cluster, DesiredCluster desired, CancellationToken cancellationToken)
    {
        var ns = cluster.Metadata!.Namespace ?? "default";
        var name = cluster.Metadata.Name!;
        var uid = cluster.Metadata.Uid!;
        var wanted = desired.Objects.Select(o => $"{o.Kind}/{o.Metadata!.Name}").ToHashSet(StringComparer.Ordinal);
        var services = client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service);
        var budgets = client.For(ResourceDescriptor.PodDisruptionBudgets, KubernetesJsonContext.Default.PodDisruptionBudget);
        var autoscalers = client.For(ResourceDescriptor.HorizontalPodAutoscalers, KubernetesJsonContext.Default.HorizontalPodAutoscaler);
        foreach (var component in DorisComponentExtensions.All)
        {
            var sts = Api.Naming.DorisNames.StatefulSet(name, component);
            if (!wanted.Contains($"StatefulSet/{sts}"))
            {
                await _applier.DeleteOwnedAsync(_statefulSets, ns, sts, uid, cancellationToken).ConfigureAwait(false);
                await _applier.DeleteOwnedAsync(services, ns, Api.Naming.DorisNames.InternalService(name, component), uid, cancellationToken).ConfigureAwait(false);
                await _applier.DeleteOwnedAsync(services, ns, Api.Naming.DorisNames.ExternalService(name, component), uid, cancellationToken).ConfigureAwait(false);
                await _applier.DeleteOwnedAsync(budgets, ns, Api.Naming.DorisNames.DisruptionBudget(name, component), uid, cancellationToken).ConfigureAwait(false);
            }
        }

        var hpa = Api.Naming.DorisNames.Autoscaler(name);
        if (!wanted.Contains($"HorizontalPodAutoscaler/{hpa}"))
        {
            await _applier.DeleteOwnedAsync(autoscalers, ns, hpa, uid, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> WriteStatusAsync(DorisCluster cluster, DorisClusterStatus status, CancellationToken cancellationToken)
    {
        var before = JsonSerializer.Serialize(cluster.Status, DorisApiJsonContext.Default.DorisCluster.Options);
        var after = JsonSerializer.Serialize(status, DorisApiJsonContext.Default.DorisCluster.Options);
        if (cluster.Status is not null && before == after)
        {
            return false;
        }

        await _clusters.ReplaceStatusAsync(cluster with { Status = status }, cancellationToken).ConfigureAwait(false);
        StatusWrites++;
        return true;
    }

    private static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("default", key) : (key[..slash], key[(slash + 1)..]);
    }
}
