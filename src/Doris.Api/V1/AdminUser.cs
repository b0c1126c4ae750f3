using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>Deprecated management account; prefer authSecret, which keeps the password out of the pod spec.</summary>
public sealed record AdminUser
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("password")]
    public string? Password { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
