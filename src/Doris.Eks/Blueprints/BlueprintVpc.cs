using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Eks.Blueprints;

/// <summary>The VPC and one private subnet per availability zone.</summary>
public sealed record BlueprintVpc
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("subnets")]
    [KubernetesRequired]
    public IReadOnlyList<BlueprintSubnet>? Subnets { get; init; }

    /// <summary>Unknown fields land here so the reader can name them.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
