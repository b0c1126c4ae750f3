using Doris.Api;
using Doris.Api.Config;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>What every builder of one component needs, resolved once: names, the spec, and the parsed config files.</summary>
internal sealed record ComponentContext(
    DorisCluster Cluster,
    DorisComponent Component,
    ComponentSpec Spec,
    ComponentConfig Config,
    ComponentConfig FeConfig)
{
    /// <summary>The restart time to stamp on the pod template (from the cluster's restartedAt annotation, once accepted).</summary>
    public string? RestartedAt { get; init; }

    /// <summary>The rolling-update partition the operator's rollout gate allows (0: every pod may be replaced).</summary>
    public int Partition { get; init; }

    public string Name => Cluster.Metadata!.Name!;

    public string? Namespace => Cluster.Metadata!.Namespace;

    public DorisClusterSpec ClusterSpec => Cluster.Spec!;

    public string Key => Component.Key();

    /// <summary>Owner reference to the cluster so deleting it garbage-collects children; only known once the API server assigned a uid.</summary>
    public IReadOnlyList<OwnerReference>? Owners => Cluster.Metadata!.Uid is { Length: > 0 } uid
        ? [new OwnerReference { ApiVersion = Api.Crd.DorisClusterCrd.ApiVersion, Kind = Api.Crd.DorisClusterCrd.Kind, Name = Name, Uid = uid, Controller = true, BlockOwnerDeletion = true }]
        : null;
}
