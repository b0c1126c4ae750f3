using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>An extra privileged init container run before the main container.</summary>
public sealed record SystemInitialization
{
    [JsonPropertyName("initImage")]
    public string? InitImage { get; init; }

    [JsonPropertyName("command")]
    public IReadOnlyList<string>? Command { get; init; }

    [JsonPropertyName("args")]
    public IReadOnlyList<string>? Args { get; init; }

    [JsonPropertyName("requests")]
    public IReadOnlyDictionary<string, Quantity>? Requests { get; init; }

    [JsonPropertyName("limits")]
    public IReadOnlyDictionary<string, Quantity>? Limits { get; init; }

    [JsonPropertyName("claims")]
    public IReadOnlyList<ResourceClaim>? Claims { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
