using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Eks.Blueprints;

/// <summary>A private subnet: its zone, id and CIDR (the CIDR sizes the pod-IP plan).</summary>
public sealed record BlueprintSubnet
{
    [JsonPropertyName("zone")]
    [KubernetesRequired]
    public string? Zone { get; init; }

    [JsonPropertyName("id")]
    [KubernetesRequired]
    public string? Id { get; init; }

    [JsonPropertyName("cidr")]
    [KubernetesRequired]
    public string? Cidr { get; init; }

    /// <summary>Unknown fields land here so the reader can name them.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
