using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>Pins a node port to the Service port whose target port matches.</summary>
public sealed record DorisServicePort
{
    [JsonPropertyName("nodePort")]
    [Minimum(0)]
    public int? NodePort { get; init; }

    [JsonPropertyName("targetPort")]
    [Minimum(0)]
    public int? TargetPort { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
