using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>A volume backed by a PersistentVolumeClaim per pod.</summary>
public sealed record PersistentVolume
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("mountPath")]
    public string? MountPath { get; init; }

    [JsonPropertyName("persistentVolumeClaimSpec")]
    public PersistentVolumeClaimSpec? PersistentVolumeClaimSpec { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("provisioner")]
    [SchemaEnum("", "StatefulSet", "Operator")]
    public string? Provisioner { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
