using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Doris.Testing;

/// <summary>A throwaway CA with a server certificate (127.0.0.1, localhost and the given names) and a client certificate, as PEM.</summary>
internal sealed record TestCertificates(string CaPem, string ServerPem, string ServerKeyPem, string ClientPem, string ClientKeyPem)
{
    public X509Certificate2 Authority => X509Certificate2.CreateFromPem(CaPem);

    public X509Certificate2 Client => X509Certificate2.CreateFromPem(ClientPem, ClientKeyPem);

    public static TestCertificates Create(params string[] dnsNames)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=dorisctl test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        (string Pem, string Key) Leaf(string subject, string usage, byte serial, bool server)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            if (server)
            {
                var san = new SubjectAlternativeNameBuilder();
                san.AddIpAddress(IPAddress.Loopback);
                san.AddDnsName("localhost");
                foreach (var name in dnsNames)
                {
                    san.AddDnsName(name);
                }

                request.CertificateExtensions.Add(san.Build());
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
            using var leaf = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), [1, 2, 3, serial]);
            return (leaf.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
        }

        var (serverPem, serverKey) = Leaf("CN=127.0.0.1", "1.3.6.1.5.5.7.3.1", 4, server: true);
        var (clientPem, clientKey) = Leaf("CN=dorisctl", "1.3.6.1.5.5.7.3.2", 5, server: false);
        return new TestCertificates(ca.ExportCertificatePem(), serverPem, serverKey, clientPem, clientKey);
    }
}
