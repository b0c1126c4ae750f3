using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>A Doris cluster: FE, BE, CN and broker groups run as StatefulSets.</summary>
[KubernetesKind("doris.selectdb.com/v1", "DorisCluster")]
public sealed record DorisCluster : IKubernetesObject
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; init; }

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; init; }

    [JsonPropertyName("spec")]
    public DorisClusterSpec? Spec { get; init; }

    [JsonPropertyName("status")]
    public DorisClusterStatus? Status { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
