using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>An FE to join instead of this cluster's own FE Service.</summary>
public sealed record FeAddress
{
    [JsonPropertyName("ServiceName")]
    public string? ServiceName { get; init; }

    [JsonPropertyName("endpoints")]
    public FeEndpoints? Endpoints { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
