using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>Per-component status, field-compatible with upstream.</summary>
public record ComponentStatus
{
    [JsonPropertyName("accessService")]
    public string? AccessService { get; init; }

    [JsonPropertyName("failedInstances")]
    public IReadOnlyList<string>? FailedInstances { get; init; }

    [JsonPropertyName("creatingInstances")]
    public IReadOnlyList<string>? CreatingInstances { get; init; }

    [JsonPropertyName("runningInstances")]
    public IReadOnlyList<string>? RunningInstances { get; init; }

    [JsonPropertyName("componentCondition")]
    [KubernetesRequired]
    public ComponentCondition? ComponentCondition { get; init; }

    [JsonPropertyName("coreConfigMapHashValue")]
    public string? CoreConfigMapHashValue { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
