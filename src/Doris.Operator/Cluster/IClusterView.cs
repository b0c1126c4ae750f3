using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Cluster;

/// <summary>
/// Where a reconcile reads the world from: the informer caches in the running operator (no API reads in a steady
/// state), or the API server directly (one-shot use and tests that need read-your-writes).
/// </summary>
public interface IClusterView : IChildView
{
    Task<DorisCluster?> ClusterAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>The pods of one cluster (label <c>app.doris.cluster</c>).</summary>
    Task<IReadOnlyList<Pod>> PodsAsync(string ns, string cluster, CancellationToken cancellationToken);

    /// <summary>A node by name, or null (for drain signals on the nodes that run the cluster's pods).</summary>
    Task<Node?> NodeAsync(string name, CancellationToken cancellationToken);

    /// <summary>A ConfigMap a cluster names, or null when it does not exist.</summary>
    Task<ConfigMap?> ConfigMapAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Whether a Secret a cluster names exists (its data is never read).</summary>
    Task<bool> SecretExistsAsync(string ns, string name, CancellationToken cancellationToken);
}

/// <summary>Where the child applier reads live children from (a cache, or the API server).</summary>
public interface IChildView
{
    /// <summary>The live child of this kind and name, or null when it does not exist.</summary>
    Task<IKubernetesObject?> ChildAsync(string kind, string ns, string name, CancellationToken cancellationToken);
}
