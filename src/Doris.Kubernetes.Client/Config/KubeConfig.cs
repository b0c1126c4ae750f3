using System.Text.Json.Serialization;

namespace Doris.Kubernetes.Client.Config;

/// <summary>A kubeconfig file (<c>v1 Config</c>): named clusters, users and contexts, and the current context.</summary>
public sealed record KubeConfig
{
    [JsonPropertyName("clusters")]
    public IReadOnlyList<NamedCluster>? Clusters { get; init; }

    [JsonPropertyName("users")]
    public IReadOnlyList<NamedUser>? Users { get; init; }

    [JsonPropertyName("contexts")]
    public IReadOnlyList<NamedContext>? Contexts { get; init; }

    [JsonPropertyName("current-context")]
    public string? CurrentContext { get; init; }
}

public sealed record NamedCluster([property: JsonPropertyName("name")] string? Name, [property: JsonPropertyName("cluster")] ClusterEntry? Cluster);

public sealed record NamedUser([property: JsonPropertyName("name")] string? Name, [property: JsonPropertyName("user")] UserEntry? User);

public sealed record NamedContext([property: JsonPropertyName("name")] string? Name, [property: JsonPropertyName("context")] ContextEntry? Context);

public sealed record ClusterEntry
{
    [JsonPropertyName("server")]
    public string? Server { get; init; }

    [JsonPropertyName("certificate-authority")]
    public string? CertificateAuthority { get; init; }

    [JsonPropertyName("certificate-authority-data")]
    public string? CertificateAuthorityData { get; init; }

    [JsonPropertyName("insecure-skip-tls-verify")]
    public bool? InsecureSkipTlsVerify { get; init; }

    [JsonPropertyName("tls-server-name")]
    public string? TlsServerName { get; init; }
}

public sealed record UserEntry
{
    [JsonPropertyName("client-certificate")]
    public string? ClientCertificate { get; init; }

    [JsonPropertyName("client-certificate-data")]
    public string? ClientCertificateData { get; init; }

    [JsonPropertyName("client-key")]
    public string? ClientKey { get; init; }

    [JsonPropertyName("client-key-data")]
    public string? ClientKeyData { get; init; }

    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("tokenFile")]
    public string? TokenFile { get; init; }

    [JsonPropertyName("exec")]
    public ExecConfig? Exec { get; init; }

    [JsonPropertyName("auth-provider")]
    public System.Text.Json.JsonElement? AuthProvider { get; init; }
}

public sealed record ExecConfig
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; init; }

    [JsonPropertyName("command")]
    public string? Command { get; init; }

    [JsonPropertyName("args")]
    public IReadOnlyList<string>? Args { get; init; }

    [JsonPropertyName("env")]
    public IReadOnlyList<ExecEnvVar>? Env { get; init; }

    [JsonPropertyName("provideClusterInfo")]
    public bool? ProvideClusterInfo { get; init; }

    [JsonPropertyName("interactiveMode")]
    public string? InteractiveMode { get; init; }

    [JsonPropertyName("installHint")]
    public string? InstallHint { get; init; }
}

public sealed record ExecEnvVar([property: JsonPropertyName("name")] string? Name, [property: JsonPropertyName("value")] string? Value);

public sealed record ContextEntry
{
    [JsonPropertyName("cluster")]
    public string? Cluster { get; init; }

    [JsonPropertyName("user")]
    public string? User { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }
}
