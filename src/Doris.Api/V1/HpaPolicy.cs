using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>autoscaling/v2 metrics and behavior copied into the HPA.</summary>
public sealed record HpaPolicy
{
    [JsonPropertyName("metrics")]
    public IReadOnlyList<MetricSpec>? Metrics { get; init; }

    [JsonPropertyName("behavior")]
    public HorizontalPodAutoscalerBehavior? Behavior { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
