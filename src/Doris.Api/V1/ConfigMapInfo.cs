using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>Configuration files: the core ConfigMap at /etc/doris and any additional ones.</summary>
public sealed record ConfigMapInfo
{
    [JsonPropertyName("configMapName")]
    public string? ConfigMapName { get; init; }

    [JsonPropertyName("resolveKey")]
    public string? ResolveKey { get; init; }

    [JsonPropertyName("configMaps")]
    public IReadOnlyList<MountConfigMap>? ConfigMaps { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
