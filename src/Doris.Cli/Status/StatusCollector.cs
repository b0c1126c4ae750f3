using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Desired;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Client.PortForwarding;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Cluster;
using Doris.Operator.Membership;
using Doris.Sql;

namespace Doris.Cli.Status;

/// <summary>
/// Reads a snapshot for <c>dorisctl status</c>: the cluster and what it owns from the API server (reads only), and
/// the FE's view over SQL, with the credentials and TLS the operator itself would use (spec.authSecret or adminUser;
/// fe.conf's TLS): at a given address, or through the API server to a Running FE pod's query port, as
/// <c>kubectl port-forward</c> would. An FE that cannot be read is reported, not fatal.
/// </summary>
internal static class StatusCollector
{
    public static async Task<ClusterSnapshot> CollectAsync(KubernetesClient client, string ns, string name, FrontendRoute fe, TimeProvider time, CancellationToken cancellationToken)
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

        var frontend = fe.Kind == FrontendRouteKind.Off ? null : await FrontendAsync(client, cluster, pods, fe, cancellationToken).ConfigureAwait(false);
        return new ClusterSnapshot(cluster, sets, pods, nodes, budgets, events, frontend, time.GetUtcNow());
    }

    private static async Task<FrontendView> FrontendAsync(KubernetesClient client, DorisCluster cluster, IReadOnlyList<Pod> pods, FrontendRoute route, CancellationToken cancellationToken)
    {
        var address = route.Kind == FrontendRouteKind.Direct ? $"{route.Host}:{route.Port}" : "an FE pod through the API server";
        PortForwarder? forwarder = null;
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
            var target = (route.Host, route.Port);
            if (route.Kind == FrontendRouteKind.Forward)
            {
                var fePod = PickFrontend(cluster, pods);
                if (fePod is null)
                {
                    return FrontendView.Unreachable(address, "no Running FE pod to forward to; the FE view needs one (or give --fe-host)");
                }

                address = $"pod/{fePod}:{config.QueryPort} through the API server";
                forwarder = await PortForwarder.StartAsync(client, cluster.Metadata!.Namespace!, fePod, config.QueryPort, cancellationToken).ConfigureAwait(false);
                target = (forwarder.LocalEndPoint.Address.ToString(), forwarder.LocalEndPoint.Port);
            }

            await using var access = new FrontendAccess(client, (_, _) => target);
            var admin = await access.ForAsync(cluster, config, cancellationToken).ConfigureAwait(false);
            var frontends = await admin.ShowFrontendsAsync(cancellationToken).ConfigureAwait(false);
            var backends = await admin.ShowBackendsAsync(cancellationToken).ConfigureAwait(false);
            var tablets = await admin.TabletHealthAsync(cancellationToken).ConfigureAwait(false);
            var replication = await admin.ReplicationFloorAsync(cancellationToken).ConfigureAwait(false);
            return new FrontendView(address, frontends, backends, tablets, replication, null);
        }
        catch (Exception e) when (e is MySqlException or IOException or System.Net.Sockets.SocketException or TimeoutException or KubernetesApiException or HttpRequestException)
        {
            // The tunnel's own error (e.g. nothing listens on the port) says more than the SQL client's "closed".
            var why = forwarder?.LastError is { } tunnel ? $"{e.Message} ({tunnel})" : e.Message;
            return FrontendView.Unreachable(address, why);
        }
        finally
        {
            if (forwarder is not null)
            {
                await forwarder.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A Running and Ready FE pod of this cluster (lowest ordinal first: fe-0 is usually the master).</summary>
    private static string? PickFrontend(DorisCluster cluster, IReadOnlyList<Pod> pods)
    {
        var prefix = DorisNames.StatefulSet(cluster.Metadata!.Name!, DorisComponent.Fe) + "-";
        return pods
            .Where(p => p.Metadata?.Name?.StartsWith(prefix, StringComparison.Ordinal) == true && p.Metadata.DeletionTimestamp is null && p.Status?.Phase == "Running")
            .OrderByDescending(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            .ThenBy(p => p.Metadata!.Name!.Length).ThenBy(p => p.Metadata!.Name, StringComparer.Ordinal)
            .Select(p => p.Metadata!.Name).FirstOrDefault();
    }
}

internal enum FrontendRouteKind
{
    Forward,
    Direct,
    Off,
}

/// <summary>How status reaches the FE: through the API server (default), at an address, or not at all.</summary>
internal sealed record FrontendRoute(FrontendRouteKind Kind, string Host = "", int Port = 0)
{
    public static FrontendRoute Forward { get; } = new(FrontendRouteKind.Forward);

    public static FrontendRoute Off { get; } = new(FrontendRouteKind.Off);
}
