using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Doris.Kubernetes.Client.Tests;

/// <summary>A throwaway CA and a client certificate it signed, as PEM, for kubeconfig tests.</summary>
internal sealed class TestPki
{
    public TestPki()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=doris-test-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        CaPem = ca.ExportCertificatePem();

        using var clientKey = RSA.Create(2048);
        var clientRequest = new CertificateRequest("CN=doris-operator,O=system:masters", clientKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var client = clientRequest.Create(ca, now.AddDays(-1), now.AddDays(29), [1, 2, 3, 4]);
        ClientCertPem = client.ExportCertificatePem();
        ClientKeyPem = clientKey.ExportPkcs8PrivateKeyPem();
    }

    public string CaPem { get; }

    public string ClientCertPem { get; }

    public string ClientKeyPem { get; }

    public static string Base64(string pem) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pem));
}
