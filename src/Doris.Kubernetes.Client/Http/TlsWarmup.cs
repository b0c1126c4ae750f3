using System.Security.Cryptography.X509Certificates;
using Doris.Kubernetes.Client.Config;

namespace Doris.Kubernetes.Client.Http;

/// <summary>
/// Does, on a thread of its own, the work a process's first TLS handshake with the API server would otherwise do on
/// the critical path: load OpenSSL, and load and parse the machine's certificate stores, which .NET on Linux reads
/// on the first chain build of a process even when the chain trusts only the kubeconfig's authorities (about 90 ms
/// on the 2-core VM: every file under /etc/ssl/certs; bench/RESULTS.md). It builds the chain of the kubeconfig's
/// first authority with the policy the handshake will use. Nothing waits for it: a handshake that comes first
/// loads the stores itself, as it always did (the runtime loads them once, under its own lock).
/// </summary>
public static class TlsWarmup
{
    /// <summary>
    /// Starts the warm-up when the connection is verified TLS against the kubeconfig's own authorities; the task ends
    /// with true once the chain is built (valid or not: the handshake judges the server's own chain), at once with
    /// false when there is nothing to warm (plain HTTP, verification off, the machine's store trusted), or with what
    /// stopped it.
    /// </summary>
    public static Task<bool> Start(ClusterConnection connection)
    {
        if (connection.Server.Scheme != Uri.UriSchemeHttps || KubernetesHttpHandler.ChainPolicyFor(connection) is not { } policy)
        {
            return Task.FromResult(false);
        }

        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var chain = new X509Chain { ChainPolicy = policy };
                _ = chain.Build(connection.TrustedCertificateAuthorities[0]);
                done.SetResult(true);
            }
            catch (Exception e)
            {
                // Never fatal (an exception on this thread would end the process): the handshake meets the same
                // failure with its own context.
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = "tls-warmup" };
        thread.Start();
        return done.Task;
    }
}
