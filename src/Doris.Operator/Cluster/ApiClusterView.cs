using Doris.Api.Naming;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Operator.Cluster;

/// <summary>Reads straight from the API server: always current, one request per read.</summary>
public sealed class ApiClusterView(KubernetesClient client) : IClusterView
{
    public async Task<DorisCluster?> ClusterAsync(string ns, string name, CancellationToken cancellationToken) =>
        await GetOrNull(client.For(DorisClusterResource.Descriptor, DorisApiJsonContext.Default.DorisCluster), ns, name, cancellationToken).ConfigureAwait(false);

    public async Task<IKubernetesObject?> ChildAsync(string kind, string ns, string name, CancellationToken cancellationToken) => kind switch
    {
        "StatefulSet" => await GetOrNull(client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet), ns, name, cancellationToken).ConfigureAwait(false),
        "Service" => await GetOrNull(client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service), ns, name, cancellationToken).ConfigureAwait(false),
        "PodDisruptionBudget" => await GetOrNull(client.For(ResourceDescriptor.PodDisruptionBudgets, KubernetesJsonContext.Default.PodDisruptionBudget), ns, name, cancellationToken).ConfigureAwait(false),
        "HorizontalPodAutoscaler" => await GetOrNull(client.For(ResourceDescriptor.HorizontalPodAutoscalers, KubernetesJsonContext.Default.HorizontalPodAutoscaler), ns, name, cancellationToken).ConfigureAwait(false),
        _ => throw new NotSupportedException($"no reader for {kind}"),
    };

    public async Task<IReadOnlyList<Pod>> PodsAsync(string ns, string cluster, CancellationToken cancellationToken) =>
        (await client.For(ResourceDescriptor.Pods, KubernetesJsonContext.Default.Pod).ListAsync(ns, $"{DorisLabels.Cluster}={cluster}", cancellationToken: cancellationToken).ConfigureAwait(false)).Items;

    public async Task<Node?> NodeAsync(string name, CancellationToken cancellationToken) =>
        await GetOrNull(client.For(ResourceDescriptor.Nodes, KubernetesJsonContext.Default.Node), null!, name, cancellationToken).ConfigureAwait(false);

    public async Task<ConfigMap?> ConfigMapAsync(string ns, string name, CancellationToken cancellationToken) =>
        await GetOrNull(client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap), ns, name, cancellationToken).ConfigureAwait(false);

    public async Task<bool> SecretExistsAsync(string ns, string name, CancellationToken cancellationToken) =>
        await GetOrNull(client.For(ResourceDescriptor.Secrets, KubernetesJsonContext.Default.Secret), ns, name, cancellationToken).ConfigureAwait(false) is not null;

    internal static async Task<T?> GetOrNull<T>(ResourceClient<T> resource, string ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject
    {
        try
        {
            return await resource.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }
}
