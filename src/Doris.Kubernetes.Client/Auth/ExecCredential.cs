using System.Text.Json.Serialization;

namespace Doris.Kubernetes.Client.Auth;

/// <summary>The <c>client.authentication.k8s.io</c> ExecCredential exchanged with credential plugins (aws eks get-token).</summary>
public sealed record ExecCredential
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; init; }

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("spec")]
    public ExecCredentialSpec? Spec { get; init; }

    [JsonPropertyName("status")]
    public ExecCredentialStatus? Status { get; init; }
}

public sealed record ExecCredentialSpec
{
    [JsonPropertyName("interactive")]
    public bool Interactive { get; init; }

    [JsonPropertyName("cluster")]
    public ExecCluster? Cluster { get; init; }
}

public sealed record ExecCluster
{
    [JsonPropertyName("server")]
    public string? Server { get; init; }

    [JsonPropertyName("tls-server-name")]
    public string? TlsServerName { get; init; }

    [JsonPropertyName("insecure-skip-tls-verify")]
    public bool? InsecureSkipTlsVerify { get; init; }

    [JsonPropertyName("certificate-authority-data")]
    public string? CertificateAuthorityData { get; init; }
}

public sealed record ExecCredentialStatus
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("clientCertificateData")]
    public string? ClientCertificateData { get; init; }

    [JsonPropertyName("clientKeyData")]
    public string? ClientKeyData { get; init; }

    [JsonPropertyName("expirationTimestamp")]
    public DateTimeOffset? ExpirationTimestamp { get; init; }
}
