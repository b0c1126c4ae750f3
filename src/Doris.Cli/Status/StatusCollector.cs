using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Desired;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Cluster;
using Doris.Operator.Membership;
using Doris.Sql;

namespace Doris.Cli.Status;

/// <summary>
/// Reads a snapshot for <c>dorisctl status</c>: the cluster and what it owns from the API server (reads only), and
/// the FE's view over SQL when an address is given, with the credentials and TLS the operator itself would use
/// (spec.authSecret or adminUser; fe.conf's TLS). An FE that cannot be read is reported, not fatal.
/// </summary>
internal static class StatusCollector
{
    public static async Task<ClusterSnapshot> CollectAsync(KubernetesClient client, string ns, string name, (string Host, int Port)? fe, TimeProvider time, CancellationToken cancellationToken)
    {
        DorisCluster cluster;
        try
        {
            cluster = await client.For(DorisClusterResource.Descriptor, DorisApiJsonContext.Default.DorisCluster).GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            throw new CliException(ExitCodes.Unreadable, $"DorisCluster {ns}/{name} not found; 'kubectl get dcr -A' lists the clusters there are (give the namespace with -n)");
        }

        var owned = $"{DorisLabels.OwnerReference}={name}";
        var sets = (await client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet).ListAllAsync(ns, owned, cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
        var pods = (await client.For(ResourceDescriptor.Pods, KubernetesJsonContext.Default.Pod).ListAllAsync(ns, $"{DorisLabels.Cluster}={name}", cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
        var budgets = (await client.For(ResourceDescriptor.PodDisruptionBudgets, KubernetesJsonContext.Default.PodDisruptionBudget).ListAllAsync(ns, owned, cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
        var events = (await client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAllAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Items
            .Where(e => e.InvolvedObject?.Name is { } about && (about == name || about.StartsWith(name + "-", StringComparison.Ordinal))).ToList();

        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var nodeName in pods.Select(p => p.Spec?.NodeName).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            try
            {
                nodes[nodeName] = await client.For(ResourceDescriptor.Nodes, KubernetesJsonContext.Default.Node).GetAsync(null, nodeName, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.IsNotFound || e.Code == System.Net.HttpStatusCode.Forbidden)
            {
                // A node already gone, or no right to read nodes: the pod line shows no zone or capacity.
            }
        }

        var frontend = fe is { } target ? await FrontendAsync(client, cluster, target, cancellationToken).ConfigureAwait(false) : null;
        return new ClusterSnapshot(cluster, sets, pods, nodes, budgets, events, frontend, time.GetUtcNow());
    }

    private static async Task<FrontendView> FrontendAsync(KubernetesClient client, DorisCluster cluster, (string Host, int Port) target, CancellationToken cancellationToken)
    {
        var address = $"{target.Host}:{target.Port}";
        try
        {
            var maps = new Dictionary<string, ConfigMap>(StringComparer.Ordinal);
            var info = cluster.Spec!.FeSpec?.ConfigMapInfo;
            foreach (var mapName in new[] { info?.ConfigMapName }.Concat((info?.ConfigMaps ?? []).Select(c => c.ConfigMapName)).OfType<string>().Where(n => n.Length > 0).Distinct(StringComparer.Ordinal))
            {
                try
                {
                    maps[mapName] = await client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap).GetAsync(cluster.Metadata!.Namespace, mapName, cancellationToken).ConfigureAwait(false);
                }
                catch (KubernetesApiException e) when (e.IsNotFound)
                {
                }
            }

            var config = cluster.Spec!.FeSpec is { } feSpec ? ConfigResolver.Resolve(DorisComponent.Fe, feSpec, maps, []) : Api.Config.ComponentConfig.None;
            await using var access = new FrontendAccess(client, (_, _) => target);
            var admin = await access.ForAsync(cluster, config, cancellationToken).ConfigureAwait(false);
            var frontends = await admin.ShowFrontendsAsync(cancellationToken).ConfigureAwait(false);
            var backends = await admin.ShowBackendsAsync(cancellationToken).ConfigureAwait(false);
            var tablets = await admin.TabletHealthAsync(cancellationToken).ConfigureAwait(false);
            var replication = await admin.ReplicationFloorAsync(cancellationToken).ConfigureAwait(false);
            return new FrontendView(address, frontends, backends, tablets, replication, null);
        }
        catch (Exception e) when (e is MySqlException or IOException or System.Net.Sockets.SocketException or TimeoutException or KubernetesApiException)
        {
            return FrontendView.Unreachable(address, e.Message);
        }
    }
}
