using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>Kerberos configuration shared by all components.</summary>
public sealed record KerberosInfo
{
    [JsonPropertyName("krb5ConfigMap")]
    public string? Krb5ConfigMap { get; init; }

    [JsonPropertyName("keytabSecretName")]
    public string? KeytabSecretName { get; init; }

    [JsonPropertyName("keytabPath")]
    public string? KeytabPath { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
