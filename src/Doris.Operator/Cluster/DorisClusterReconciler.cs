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
        foreach (var obj in desired.Objects)
        {
            await _applier.ApplyAsync(obj, cancellationToken).ConfigureAwait(false);
        }

        var statefulSets = new Dictionary<DorisComponent, StatefulSet?>();
        foreach (var component in DorisComponentExtensions.All.Where(c => cluster.Spec!.SpecOf(c) is not null))
        {
            statefulSets[component] = await _statefulSets.GetAsync(ns, Api.Naming.DorisNames.StatefulSet(name, component), cancellationToken).ConfigureAwait(false);
        }

        var status = StatusBuilder.Build(cluster, statefulSets, time.GetUtcNow());
        await WriteStatusAsync(cluster, status, cancellationToken).ConfigureAwait(false);
        return status.Conditions!.Any(c => c.Type == "Ready" && c.Status == "True") ? ReconcileResult.Done : ReconcileResult.After(ProgressInterval);
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
