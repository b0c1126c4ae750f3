using System.Security.Cryptography.X509Certificates;
using Doris.Kubernetes.Client.Auth;

namespace Doris.Kubernetes.Client.Config;

/// <summary>
/// Everything needed to talk to one API server: where, whom to trust, who we are, and the default namespace.
/// TLS verification is on unless the kubeconfig explicitly says <c>insecure-skip-tls-verify</c>.
/// </summary>
public sealed record ClusterConnection(
    Uri Server,
    X509Certificate2Collection TrustedCertificateAuthorities,
    bool InsecureSkipTlsVerify,
    string? TlsServerName,
    X509Certificate2? ClientCertificate,
    ICredentialSource? Credentials,
    string Namespace,
    string ContextName);
