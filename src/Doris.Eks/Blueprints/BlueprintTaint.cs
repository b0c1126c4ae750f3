using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Eks.Blueprints;

/// <summary>A node taint.</summary>
public sealed record BlueprintTaint
{
    [JsonPropertyName("key")]
    [KubernetesRequired]
    public string? Key { get; init; }

    [JsonPropertyName("value")]
    public string? Value { get; init; }

    [JsonPropertyName("effect")]
    [KubernetesRequired]
    [SchemaEnum("NoSchedule", "PreferNoSchedule", "NoExecute")]
    public string? Effect { get; init; }

    /// <summary>Unknown fields land here so the reader can name them.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
