using System.Security.Cryptography.X509Certificates;
using Doris.Kubernetes.Client.Config;

namespace Doris.Kubernetes.Client.Http;

/// <summary>
/// Says why the API server's certificate was refused, in the kubeconfig's terms: which field to change and to what.
/// .NET reports only "the remote certificate was rejected by the provided RemoteCertificateValidationCallback",
/// which sends a user looking at the network when the fix is a CA or a name.
/// </summary>
internal static class TlsRefusals
{
    public static string Describe(X509Certificate2 served, X509Chain? chain, bool chainOk, string name, ClusterConnection connection)
    {
        var parts = new List<string>();
        if (!chainOk)
        {
            var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToList() ?? [];
            var trusted = connection.TrustedCertificateAuthorities.Count > 0
                ? "the kubeconfig's certificate-authority(-data)"
                : "the machine's trust store (the kubeconfig names no certificate-authority)";
            parts.Add($"its certificate (issuer '{served.Issuer}') is not trusted by {trusted}{(statuses.Count > 0 ? $" [{string.Join(", ", statuses)}]" : string.Empty)}; " +
                "set clusters[].cluster.certificate-authority-data to the CA that signed the API server's certificate");
        }

        if (!Names(served, name))
        {
            var field = connection.TlsServerName is { Length: > 0 } ? $"clusters[].cluster.tls-server-name '{name}'" : $"the server address's host '{name}'";
            parts.Add($"its certificate does not name {field} (it names {AlternativeNames(served)}); " +
                (connection.TlsServerName is { Length: > 0 } ? "set tls-server-name to one of those" : "connect by one of those names, or set clusters[].cluster.tls-server-name to one"));
        }

        return parts.Count == 0 ? "the API server's certificate was refused" : string.Join("; and ", parts);
    }

    /// <summary>
    /// Whether the certificate names this host. MatchesHostname throws on a name that is no host name (a wildcard, an
    /// empty label); the kubeconfig loader refuses those, and a connection built otherwise is refused here, not thrown
    /// out of the handshake's callback.
    /// </summary>
    public static bool Names(X509Certificate2 certificate, string name)
    {
        try
        {
            return certificate.MatchesHostname(name);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string AlternativeNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension alternative)
            {
                names.AddRange(alternative.EnumerateDnsNames());
                names.AddRange(alternative.EnumerateIPAddresses().Select(address => address.ToString()));
            }
        }

        return names.Count == 0 ? $"no alternative names; subject '{certificate.Subject}'" : string.Join(", ", names.Take(10));
    }
}
