using System.Collections.Concurrent;
using System.Text;
using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Sql;
using Doris.Sql.Admin;

namespace Doris.Operator.Membership;

/// <summary>Where a cluster's FE answers SQL: host and query port.</summary>
public delegate (string Host, int Port) FrontendEndpoint(DorisCluster cluster, int queryPort);

/// <summary>
/// Connections to each cluster's FE (a small pool per cluster), with credentials as upstream takes them: the
/// <c>authSecret</c> Secret (basic-auth username/password), else <c>adminUser</c>, else root without a password.
/// Credentials are read when needed and never logged, put in events or in status.
/// </summary>
public sealed class FrontendAccess(KubernetesClient client, FrontendEndpoint? endpoint = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, MySqlPool> _pools = new(StringComparer.Ordinal);
    private readonly FrontendTls _tls = new(client);

    /// <summary>In a cluster: the FE access Service's DNS name (<c>&lt;c&gt;-fe-service.&lt;ns&gt;.svc.cluster.local</c>).</summary>
    public static (string Host, int Port) ClusterDns(DorisCluster cluster, int queryPort) =>
        ($"{DorisNames.ExternalService(cluster.Metadata!.Name!, DorisComponent.Fe)}.{cluster.Metadata.Namespace ?? "default"}.svc.cluster.local", queryPort);

    /// <param name="fe">The FE's configuration: its query port, and its TLS settings when fe.conf enables TLS.</param>
    public async Task<IDorisAdmin> ForAsync(DorisCluster cluster, Api.Config.ComponentConfig fe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(fe);
        var ns = cluster.Metadata!.Namespace ?? "default";
        var (user, password) = await CredentialsAsync(ns, cluster.Spec!.AuthSecret, cluster.Spec.AdminUser, cancellationToken).ConfigureAwait(false);
        var (host, port) = (endpoint ?? ClusterDns)(cluster, fe.QueryPort);
        var options = await _tls.ApplyAsync(new MySqlOptions(host, port, user, password) { ConnectTimeout = TimeSpan.FromSeconds(5), CommandTimeout = TimeSpan.FromSeconds(20) }, cluster, fe, cancellationToken).ConfigureAwait(false);
        return Pooled($"{ns}/{cluster.Metadata.Name}", options);
    }

    /// <summary>
    /// The FE of a storage-compute cluster, at <paramref name="address"/>, with the same credential rules (the
    /// cluster's <c>authSecret</c>, else <c>adminUser</c>, else root). Pools are kept apart from DorisClusters'.
    /// </summary>
    public async Task<IDorisAdmin> ForAsync(string ns, string name, string? authSecret, AdminUser? adminUser, (string Host, int Port) address, CancellationToken cancellationToken)
    {
        var (user, password) = await CredentialsAsync(ns, authSecret, adminUser, cancellationToken).ConfigureAwait(false);
        var options = new MySqlOptions(address.Host, address.Port, user, password) { ConnectTimeout = TimeSpan.FromSeconds(5), CommandTimeout = TimeSpan.FromSeconds(20) };
        return Pooled($"ddc:{ns}/{name}", options);
    }

    private DorisAdmin Pooled(string key, MySqlOptions options)
    {
        var pool = _pools.AddOrUpdate(key, _ => new MySqlPool(options), (_, existing) =>
        {
            if (existing.Options == options)
            {
                return existing;
            }

            existing.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(2)); // credentials or address changed: start over
            return new MySqlPool(options);
        });
        return new DorisAdmin(pool);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in _pools.Values)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<(string User, string Password)> CredentialsAsync(string ns, string? authSecret, AdminUser? adminUser, CancellationToken cancellationToken)
    {
        if (authSecret is { Length: > 0 } name)
        {
            Secret secret;
            try
            {
                secret = await client.For(ResourceDescriptor.Secrets, KubernetesJsonContext.Default.Secret).GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                throw new MySqlConnectionException($"Secret {ns}/{name} (spec.authSecret) does not exist; create it with keys username and password");
            }

            string? Read(string key) =>
                secret.Data?.TryGetValue(key, out var b64) == true ? Encoding.UTF8.GetString(Convert.FromBase64String(b64)) : secret.StringData?.GetValueOrDefault(key);
            return (Read("username") ?? "root", Read("password") ?? string.Empty);
        }

        return adminUser is { Name: { Length: > 0 } admin } ? (admin, adminUser.Password ?? string.Empty) : ("root", string.Empty);
    }
}
