using System.Net.Sockets;
using Doris.Kubernetes.Client.Auth;

namespace Doris.Kubernetes.Client.Config;

/// <summary>
/// The configuration of a pod's service account: the API server from KUBERNETES_SERVICE_HOST/PORT, the
/// cluster CA, the namespace, and the projected token, re-read as the kubelet rotates it.
/// </summary>
public static class InClusterConfig
{
    public const string DefaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static ClusterConnection Load(Func<string, string?> environment, TimeProvider time, string directory = DefaultDirectory)
    {
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException("not running in a pod (KUBERNETES_SERVICE_HOST/PORT are not set); pass --kubeconfig to run outside the cluster");
        }

        var tokenPath = Path.Combine(directory, "token");
        if (!File.Exists(tokenPath))
        {
            throw new KubeConfigException($"no service-account token at '{tokenPath}'; set automountServiceAccountToken: true on the pod or its ServiceAccount");
        }

        var caPath = Path.Combine(directory, "ca.crt");
        var authorities = TlsMaterial.Authorities(TlsMaterial.Pem(null, caPath, "in-cluster certificate authority", directory), "in-cluster certificate authority");
        var namespacePath = Path.Combine(directory, "namespace");
        var ns = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : "default";

        // An IPv6 service address needs brackets in a URL.
        var authority = System.Net.IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        return new ClusterConnection(new Uri($"https://{authority}:{port}"), authorities, false, null, null, new TokenFileSource(tokenPath, time), ns, "in-cluster");
    }
}
