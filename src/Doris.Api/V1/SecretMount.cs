using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>A Secret mounted at a path (default /etc/doris).</summary>
public sealed record SecretMount
{
    [JsonPropertyName("secretName")]
    public string? SecretName { get; init; }

    [JsonPropertyName("mountPath")]
    public string? MountPath { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
