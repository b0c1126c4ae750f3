using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>A pre-existing ReadWriteMany claim mounted into the listed components.</summary>
public sealed record SharedPersistentVolumeClaim
{
    [JsonPropertyName("persistentVolumeClaimName")]
    public string? PersistentVolumeClaimName { get; init; }

    [JsonPropertyName("mountPath")]
    public string? MountPath { get; init; }

    [JsonPropertyName("supportComponents")]
    public IReadOnlyList<string>? SupportComponents { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
