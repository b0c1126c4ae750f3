using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>Upstream-compatible phase of one component; every field is always written.</summary>
public sealed record ComponentCondition
{
    [JsonPropertyName("subResourceName")]
    public string? SubResourceName { get; init; }

    [JsonPropertyName("phase")]
    [KubernetesRequired]
    [SchemaEnum("reconciling", "waitScheduling", "haveMemberFailed", "available", "initializing", "upgrading", "scaling", "restarting")]
    public string? Phase { get; init; }

    [JsonPropertyName("reason")]
    [KubernetesRequired]
    public string? Reason { get; init; }

    [JsonPropertyName("message")]
    [KubernetesRequired]
    public string? Message { get; init; }

    [JsonPropertyName("lastTransitionTime")]
    [KubernetesRequired]
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
