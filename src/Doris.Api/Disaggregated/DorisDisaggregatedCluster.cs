using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.Disaggregated;

/// <summary>
/// A storage-compute separated Doris cluster (Doris 3.x): a meta service on FoundationDB, an FE group and any number
/// of compute groups whose data lives in object storage. disaggregated.cluster.doris.com/v1, as apache/doris-operator
/// serves it, so its manifests apply unchanged.
/// </summary>
public sealed record DorisDisaggregatedCluster : IKubernetesObject
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; init; }

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; init; }

    [JsonPropertyName("spec")]
    public DisaggregatedClusterSpec? Spec { get; init; }

    [JsonPropertyName("status")]
    public DisaggregatedClusterStatus? Status { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}

/// <summary>The cluster wanted: meta service, FE group, compute groups and cluster-wide settings.</summary>
public sealed record DisaggregatedClusterSpec
{
    [JsonPropertyName("metaService")]
    public MetaServiceSpec? MetaService { get; init; }

    [JsonPropertyName("feSpec")]
    public DisaggregatedFeSpec? FeSpec { get; init; }

    [JsonPropertyName("computeGroups")]
    public IReadOnlyList<ComputeGroup>? ComputeGroups { get; init; }

    [JsonPropertyName("authSecret")]
    public string? AuthSecret { get; init; }

    [JsonPropertyName("adminUser")]
    public V1.AdminUser? AdminUser { get; init; }

    [JsonPropertyName("enableDecommission")]
    public bool? EnableDecommission { get; init; }

    [JsonPropertyName("kerberosInfo")]
    public V1.KerberosInfo? KerberosInfo { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}

/// <summary>The meta service (Doris's metadata and transaction service on FoundationDB).</summary>
public sealed record MetaServiceSpec : DisaggregatedComponentSpec
{
    [JsonPropertyName("fdb")]
    public FoundationDb? Fdb { get; init; }
}

/// <summary>Where the meta service finds FoundationDB: a cluster-file address or the ConfigMap that holds it.</summary>
public sealed record FoundationDb
{
    [JsonPropertyName("address")]
    public string? Address { get; init; }

    [JsonPropertyName("configMapNamespaceName")]
    public NamespacedName? ConfigMapNamespaceName { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}

/// <summary>An object named across namespaces.</summary>
public sealed record NamespacedName
{
    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}

/// <summary>The FE group: followers up to electionNumber, observers beyond.</summary>
public sealed record DisaggregatedFeSpec : DisaggregatedComponentSpec
{
    [JsonPropertyName("electionNumber")]
    [Minimum(1)]
    public int? ElectionNumber { get; init; }
}

/// <summary>A compute group: BE nodes that cache object-storage data and run queries; keeps no data of its own.</summary>
public sealed record ComputeGroup : DisaggregatedComponentSpec
{
    [JsonPropertyName("uniqueId")]
    [KubernetesRequired]
    public string? UniqueId { get; init; }

    [JsonPropertyName("enableWorkloadGroup")]
    public bool? EnableWorkloadGroup { get; init; }

    [JsonPropertyName("skipDefaultSystemInit")]
    public bool? SkipDefaultSystemInit { get; init; }

    [JsonPropertyName("autoResolveLimitCPU")]
    public bool? AutoResolveLimitCpu { get; init; }
}
