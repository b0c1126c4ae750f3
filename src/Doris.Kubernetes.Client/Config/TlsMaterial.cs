using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Doris.Kubernetes.Client.Config;

/// <summary>Certificates and keys from kubeconfig fields: base64 <c>*-data</c> or file paths, PEM inside.</summary>
internal static class TlsMaterial
{
    public static string Pem(string? data, string? file, string what, string baseDirectory)
    {
        if (data is { Length: > 0 })
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException e)
            {
                throw new KubeConfigException($"{what}: the *-data value is not base64; paste the base64 of the PEM file (base64 -w0 file.pem)", e);
            }
        }

        var path = Path.IsPathRooted(file!) ? file! : Path.Combine(baseDirectory, file!);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"{what}: cannot read '{path}': {e.Message}; fix the path (relative paths are relative to the kubeconfig file)", e);
        }
    }

    public static X509Certificate2Collection Authorities(string pem, string what)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new KubeConfigException($"{what}: not a PEM certificate bundle: {e.Message}", e);
        }

        if (collection.Count == 0)
        {
            throw new KubeConfigException($"{what}: contains no certificate; expected '-----BEGIN CERTIFICATE-----' blocks");
        }

        return collection;
    }

    public static X509Certificate2 ClientCertificate(string certificatePem, string keyPem, string what)
    {
        try
        {
            using var withKey = X509Certificate2.CreateFromPem(certificatePem, keyPem);

            // Re-import so the private key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw new KubeConfigException($"{what}: the client certificate and key do not form a usable pair: {e.Message}; check that the key belongs to the certificate", e);
        }
    }
}
