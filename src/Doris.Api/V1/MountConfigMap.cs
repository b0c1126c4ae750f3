using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>A ConfigMap mounted at a path (empty means /etc/doris).</summary>
public sealed record MountConfigMap
{
    [JsonPropertyName("configMapName")]
    public string? ConfigMapName { get; init; }

    [JsonPropertyName("mountPath")]
    public string? MountPath { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
