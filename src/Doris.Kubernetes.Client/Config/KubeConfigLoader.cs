using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Doris.Kubernetes.Client.Auth;
using Doris.Kubernetes.Serialization;

namespace Doris.Kubernetes.Client.Config;

/// <summary>Resolves a kubeconfig context into a <see cref="ClusterConnection"/>, with errors that name the missing piece and what exists.</summary>
public static class KubeConfigLoader
{
    /// <summary>The kubeconfig to use: the explicit path, else the first entry of KUBECONFIG, else ~/.kube/config.</summary>
    public static string Locate(string? explicitPath, string? kubeconfigVariable, string homeDirectory)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return explicitPath;
        }

        var fromVariable = (kubeconfigVariable ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return fromVariable ?? Path.Combine(homeDirectory, ".kube", "config");
    }

    public static ClusterConnection Load(string path, string? contextName, TimeProvider time)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"cannot read kubeconfig '{path}': {e.Message}; pass --kubeconfig or set KUBECONFIG", e);
        }

        return Parse(text, path, contextName, time);
    }

    public static ClusterConnection Parse(string text, string path, string? contextName, TimeProvider time)
    {
        KubeConfig config;
        try
        {
            config = YamlReader.Read(text, path).FirstOrDefault()?.Root.Deserialize(ClientJsonContext.Default.KubeConfig)
                ?? throw new KubeConfigException($"kubeconfig '{path}' is empty");
        }
        catch (ManifestException e)
        {
            throw new KubeConfigException($"kubeconfig {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new KubeConfigException($"kubeconfig '{path}': {e.Path?.TrimStart('$', '.')} has the wrong type: {e.Message}", e);
        }

        var name = contextName ?? config.CurrentContext;
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeConfigException($"kubeconfig '{path}' has no current-context; pass --context ({Names(config.Contexts?.Select(c => c.Name))})");
        }

        var context = config.Contexts?.FirstOrDefault(c => c.Name == name)?.Context
            ?? throw new KubeConfigException($"kubeconfig '{path}' has no context '{name}' ({Names(config.Contexts?.Select(c => c.Name))}); pass --context with one of them");
        var cluster = config.Clusters?.FirstOrDefault(c => c.Name == context.Cluster)?.Cluster
            ?? throw new KubeConfigException($"context '{name}' refers to cluster '{context.Cluster}', which is not in '{path}' ({Names(config.Clusters?.Select(c => c.Name))})");
        var user = context.User is null ? null : config.Users?.FirstOrDefault(u => u.Name == context.User)?.User
            ?? throw new KubeConfigException($"context '{name}' refers to user '{context.User}', which is not in '{path}' ({Names(config.Users?.Select(u => u.Name))})");

        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
        {
            throw new KubeConfigException($"cluster '{context.Cluster}' has server '{cluster.Server}', which is not an http(s) URL; set clusters[].cluster.server");
        }

        // What the API server's certificate must name, as client-go takes it: a bare host name or address. A URL or
        // host:port here would only surface later as a refused certificate.
        if (cluster.TlsServerName is { Length: > 0 } tlsServerName && Uri.CheckHostName(tlsServerName) is UriHostNameType.Unknown or UriHostNameType.Basic)
        {
            throw new KubeConfigException($"cluster '{context.Cluster}' has tls-server-name '{tlsServerName}', which is not a host name or IP address; set clusters[].cluster.tls-server-name to the name the API server's certificate holds, without a scheme or port (for example kubernetes.default.svc)");
        }

        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var authorities = cluster.CertificateAuthorityData is { Length: > 0 } || cluster.CertificateAuthority is { Length: > 0 }
            ? TlsMaterial.Authorities(TlsMaterial.Pem(cluster.CertificateAuthorityData, cluster.CertificateAuthority, $"cluster '{context.Cluster}' certificate authority", baseDirectory), $"cluster '{context.Cluster}' certificate authority")
            : [];
        var execCluster = new ExecCluster { Server = cluster.Server, TlsServerName = cluster.TlsServerName, InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify, CertificateAuthorityData = cluster.CertificateAuthorityData };
        return new ClusterConnection(
            server,
            authorities,
            cluster.InsecureSkipTlsVerify == true,
            cluster.TlsServerName,
            ClientCertificate(user, context.User, baseDirectory),
            Credentials(user, context.User, baseDirectory, execCluster, time),
            string.IsNullOrEmpty(context.Namespace) ? "default" : context.Namespace,
            name);
    }

    private static X509Certificate2? ClientCertificate(UserEntry? user, string? userName, string baseDirectory)
    {
        var hasCert = user?.ClientCertificateData is { Length: > 0 } || user?.ClientCertificate is { Length: > 0 };
        var hasKey = user?.ClientKeyData is { Length: > 0 } || user?.ClientKey is { Length: > 0 };
        if (hasCert != hasKey)
        {
            throw new KubeConfigException($"user '{userName}' has a client {(hasCert ? "certificate without a key" : "key without a certificate")}; set both client-certificate(-data) and client-key(-data)");
        }

        if (!hasCert)
        {
            return null;
        }

        var what = $"user '{userName}'";
        return TlsMaterial.ClientCertificate(
            TlsMaterial.Pem(user!.ClientCertificateData, user.ClientCertificate, what + " client certificate", baseDirectory),
            TlsMaterial.Pem(user.ClientKeyData, user.ClientKey, what + " client key", baseDirectory),
            what);
    }

    private static ICredentialSource? Credentials(UserEntry? user, string? userName, string baseDirectory, ExecCluster cluster, TimeProvider time)
    {
        if (user?.AuthProvider is not null)
        {
            throw new KubeConfigException($"user '{userName}' uses an auth-provider plugin, which Kubernetes removed; use an exec credential plugin (for EKS: aws eks get-token)");
        }

        if (user?.Exec is { } exec)
        {
            return new ExecCredentialSource(exec, cluster, time);
        }

        if (user?.TokenFile is { Length: > 0 } tokenFile)
        {
            return new TokenFileSource(Path.IsPathRooted(tokenFile) ? tokenFile : Path.Combine(baseDirectory, tokenFile), time);
        }

        return user?.Token is { Length: > 0 } token ? new StaticTokenSource(token) : null;
    }

    private static string Names(IEnumerable<string?>? names) =>
        names?.Where(n => n is not null).ToList() is { Count: > 0 } list ? "available: " + string.Join(", ", list) : "none defined";
}
