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
}
