using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>Readiness probe timing overrides (each applied only when above zero).</summary>
public sealed record ReadinessProbePolicy
{
    [JsonPropertyName("timeoutSeconds")]
    public int? TimeoutSeconds { get; init; }

    [JsonPropertyName("failureThreshold")]
    public int? FailureThreshold { get; init; }

    [JsonPropertyName("periodSeconds")]
    public int? PeriodSeconds { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
