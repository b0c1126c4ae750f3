using System.Security.Cryptography.X509Certificates;

namespace Doris.Kubernetes.Client.Auth;

/// <summary>What proves who we are on one request: a bearer token and/or a client certificate, valid until <see cref="Expires"/>.</summary>
public sealed record Credential(string? Token, X509Certificate2? ClientCertificate, DateTimeOffset? Expires)
{
    /// <summary>Never print a token: records print their fields by default.</summary>
    public override string ToString() => $"Credential(token: {(Token is null ? "none" : "set")}, certificate: {ClientCertificate?.Subject ?? "none"}, expires: {Expires?.ToString("O") ?? "never"})";
}
