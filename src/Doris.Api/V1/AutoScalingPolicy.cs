using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>A HorizontalPodAutoscaler for the compute nodes.</summary>
public sealed record AutoScalingPolicy
{
    [JsonPropertyName("version")]
    [SchemaEnum("v1", "v2")]
    public string? Version { get; init; }

    [JsonPropertyName("minReplicas")]
    [Minimum(0)]
    public int? MinReplicas { get; init; }

    [JsonPropertyName("maxReplicas")]
    [Minimum(1)]
    public int? MaxReplicas { get; init; }

    [JsonPropertyName("hpaPolicy")]
    public HpaPolicy? HpaPolicy { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
