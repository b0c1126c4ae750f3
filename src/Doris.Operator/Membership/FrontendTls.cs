using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Doris.Api.Config;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Sql;

namespace Doris.Operator.Membership;

/// <summary>
/// TLS to an FE as upstream sets it up: when fe.conf says <c>enable_tls = true</c>, the CA, certificate and key are
/// the files named by <c>tls_ca_certificate_path</c>, <c>tls_certificate_path</c> and <c>tls_private_key_path</c>,
/// read from the FE Secret (<c>feSpec.secrets</c>) mounted at the CA's directory; the operator verifies the FE
/// against that CA and presents the certificate as its own (FEs that verify clients accept it). Verification is
/// never switched off: a missing piece is an error naming it.
/// </summary>
internal sealed class FrontendTls(KubernetesClient client)
{
    // Parsed certificates per Secret version: the same objects keep the connection pool's options equal.
    private readonly ConcurrentDictionary<string, (string? Version, X509Certificate2 Ca, X509Certificate2 Own)> _cache = new(StringComparer.Ordinal);

    public async Task<MySqlOptions> ApplyAsync(MySqlOptions options, DorisCluster cluster, ComponentConfig fe, CancellationToken cancellationToken)
    {
        if (!fe.TlsEnabled)
        {
            return options;
        }

        string Required(string? path, string key) => path is { Length: > 0 }
            ? path
            : throw new MySqlConnectionException($"fe.conf sets enable_tls = true but no {key}; set tls_ca_certificate_path, tls_certificate_path and tls_private_key_path to files of a Secret mounted with feSpec.secrets");
        var caPath = Required(fe.TlsCaPath, "tls_ca_certificate_path");
        var certPath = Required(fe.TlsCertificatePath, "tls_certificate_path");
        var keyPath = Required(fe.TlsPrivateKeyPath, "tls_private_key_path");
        var directory = caPath[..Math.Max(0, caPath.LastIndexOf('/'))];
        var mount = cluster.Spec?.FeSpec?.Secrets?.FirstOrDefault(s => (s.MountPath ?? string.Empty).TrimEnd('/') == directory)
            ?? throw new MySqlConnectionException($"fe.conf enables TLS with its CA at {caPath}, but no feSpec.secrets entry is mounted at {directory}; mount the Secret holding the CA, certificate and key there");

        var ns = cluster.Metadata!.Namespace;
        Secret secret;
        try
        {
            secret = await client.For(ResourceDescriptor.Secrets, KubernetesJsonContext.Default.Secret).GetAsync(ns, mount.SecretName!, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            throw new MySqlConnectionException($"Secret {ns}/{mount.SecretName} (feSpec.secrets, the FE's TLS files) does not exist; create it with the CA, certificate and key fe.conf names");
        }

        var key = $"{ns}/{mount.SecretName}";
        if (!_cache.TryGetValue(key, out var material) || material.Version != secret.Metadata?.ResourceVersion)
        {
            string File(string path)
            {
                var name = path[(path.LastIndexOf('/') + 1)..];
                return secret.Data?.TryGetValue(name, out var b64) == true ? Encoding.UTF8.GetString(Convert.FromBase64String(b64))
                    : secret.StringData?.GetValueOrDefault(name) ?? throw new MySqlConnectionException($"Secret {key} has no key {name} (fe.conf names {path}); add it");
            }

            try
            {
                material = (secret.Metadata?.ResourceVersion, X509Certificate2.CreateFromPem(File(caPath)), X509Certificate2.CreateFromPem(File(certPath), File(keyPath)));
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new MySqlConnectionException($"Secret {key}: the FE's TLS files do not parse as PEM certificates and key ({e.Message}); check the CA, certificate and key fe.conf names");
            }

            _cache[key] = material;
        }

        return options with { Tls = TlsMode.Required, CertificateAuthority = material.Ca, ClientCertificate = material.Own };
    }
}
