using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>Compute-node status: the component fields plus the autoscaler in charge.</summary>
public sealed record CnStatus : ComponentStatus
{
    [JsonPropertyName("horizontalScaler")]
    public HorizontalScaler? HorizontalScaler { get; init; }

    /// <summary>dorisctl extension: CN pods that exist now, the scale subresource's status.replicas.</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; init; }

    /// <summary>dorisctl extension: the CN pods' label selector, so an HPA on the DorisCluster finds their metrics.</summary>
    [JsonPropertyName("selector")]
    public string? Selector { get; init; }
}
