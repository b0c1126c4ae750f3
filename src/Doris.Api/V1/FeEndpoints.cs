using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>FE addresses and query port.</summary>
public sealed record FeEndpoints
{
    [JsonPropertyName("address")]
    public IReadOnlyList<string>? Address { get; init; }

    [JsonPropertyName("port")]
    [Minimum(0)]
    public int? Port { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
