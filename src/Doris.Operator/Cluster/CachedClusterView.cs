using Doris.Api.Naming;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Runtime;

namespace Doris.Operator.Cluster;

/// <summary>
/// The running operator's view: informers over DorisClusters and, filtered by the operator's labels, the
/// children and pods it manages; memory follows the Doris clusters, not the size of the Kubernetes cluster.
/// Every change is mapped to its cluster's key for the work queue.
/// </summary>
public sealed class CachedClusterView : IClusterView
{
    // How long a Secret seen to exist is taken to exist: the operator may only get Secrets (never list or watch
    // them), so existence is re-checked now and then rather than on every reconcile. Missing ones are checked
    // every time, so a Secret created to fix a cluster is noticed at once.
    private static readonly TimeSpan SecretRecheck = TimeSpan.FromMinutes(5);
    private readonly KubernetesClient _client;
    private readonly TimeProvider _time;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), DateTimeOffset> _secretsSeen = new();

    public CachedClusterView(KubernetesClient client, string? ns, TimeProvider time, InformerOptions? informers = null)
    {
        _client = client;
        _time = time;
        Clusters = new Informer<DorisCluster>(client.For(DorisClusterResource.Descriptor, () => DorisApiJsonContext.Default.DorisCluster), ns, time, options: informers, lean: c => c with { Metadata = Lean(c.Metadata) });
        StatefulSets = new Informer<StatefulSet>(client.For(ResourceDescriptor.StatefulSets, () => KubernetesJsonContext.Default.StatefulSet), ns, time, DorisLabels.OwnerReference, options: informers, lean: LeanStatefulSet);
        Services = new Informer<Service>(client.For(ResourceDescriptor.Services, () => KubernetesJsonContext.Default.Service), ns, time, DorisLabels.OwnerReference, options: informers, lean: x => x with { Metadata = Lean(x.Metadata) });
        Budgets = new Informer<PodDisruptionBudget>(client.For(ResourceDescriptor.PodDisruptionBudgets, () => KubernetesJsonContext.Default.PodDisruptionBudget), ns, time, DorisLabels.OwnerReference, options: informers, lean: x => x with { Metadata = Lean(x.Metadata) });
        Autoscalers = new Informer<HorizontalPodAutoscaler>(client.For(ResourceDescriptor.HorizontalPodAutoscalers, () => KubernetesJsonContext.Default.HorizontalPodAutoscaler), ns, time, DorisLabels.OwnerReference, options: informers, lean: x => x with { Metadata = Lean(x.Metadata) });
        Pods = new Informer<Pod>(client.For(ResourceDescriptor.Pods, () => KubernetesJsonContext.Default.Pod), ns, time, DorisLabels.Cluster, options: informers, lean: LeanPod)
        {
            IndexBy = p => p.Metadata?.Labels?.GetValueOrDefault(DorisLabels.Cluster) is { } owner ? PodIndex(p.Metadata.Namespace, owner) : null,
        };

        // Nodes are cluster-scoped and few next to pods; kept so a drain signal reaches the clusters with pods on the node.
        Nodes = new Informer<Node>(client.For(ResourceDescriptor.Nodes, () => KubernetesJsonContext.Default.Node), null, time, options: informers, lean: x => x with { Metadata = Lean(x.Metadata), Status = x.Status is null ? null : x.Status with { Images = null } });

        // ConfigMaps are the user's and unlabelled: all are watched so an edit of fe.conf/be.conf triggers a
        // reconcile, and only those a cluster names are stored (a reconcile then reads them without a request).
        ConfigMaps = new Informer<ConfigMap>(client.For(ResourceDescriptor.ConfigMaps, () => KubernetesJsonContext.Default.ConfigMap), ns, time, options: informers, lean: x => x with { Metadata = Lean(x.Metadata) })
        {
            KeepWhen = cm => Clusters.List(cm.Metadata?.Namespace).Any(c => c.Spec is not null && References.ConfigMapNames(c.Spec).Contains(cm.Metadata!.Name, StringComparer.Ordinal))
                || AlsoKeep?.Invoke(cm) == true,
        };
    }

    /// <summary>
    /// A cached pod keeps what reconciles read: metadata, status, the node it runs on, host network and DNS names, and
    /// each container's name, image and resources. Volumes, env, mounts, probes, affinity and tolerations (most of a
    /// Doris pod) are left out: a production BE pod takes 5 KB instead of 16 KB (bench/RESULTS.md). Pods are never written back from
    /// the cache (the operator only deletes them, by name).
    /// </summary>
    internal static Pod LeanPod(Pod pod) => pod with
    {
        Metadata = Lean(pod.Metadata),
        Spec = pod.Spec is not { } spec ? null : new PodSpec
        {
            NodeName = spec.NodeName,
            HostNetwork = spec.HostNetwork,
            Hostname = spec.Hostname,
            Subdomain = spec.Subdomain,
            Containers = spec.Containers?.Select(c => new Container { Name = c.Name, Image = c.Image, Resources = c.Resources }).ToList(),
        },
    };

    /// <summary>
    /// A cached StatefulSet keeps its metadata (the hashes that make a steady reconcile a no-op), status, and the spec
    /// apart from the pod template's spec, of which only the containers' names and volume mounts stay (claim renames
    /// are read from the first container's mounts). The template's env, probes, affinity, init containers and volumes
    /// are what makes a Doris StatefulSet large; a change there is seen through the template-hash annotation instead.
    /// Never written back: patches are built from the desired object.
    /// </summary>
    internal static StatefulSet LeanStatefulSet(StatefulSet set) => set with
    {
        Metadata = Lean(set.Metadata),
        Spec = set.Spec is not { } spec ? null : spec with
        {
            Template = spec.Template is not { } template ? null : new PodTemplateSpec
            {
                Metadata = Lean(template.Metadata),
                Spec = template.Spec is not { } pod ? null : new PodSpec
                {
                    Containers = pod.Containers?.Select(c => new Container { Name = c.Name, VolumeMounts = c.VolumeMounts }).ToList(),
                },
            },
        },
    };

    // managedFields are for server-side apply bookkeeping; nothing here reads them, and on a pod they can be as large
    // as the rest of its metadata: they are not kept (a write without them leaves the server's copy as it is).
    private static Kubernetes.Models.ObjectMeta? Lean(Kubernetes.Models.ObjectMeta? meta) =>
        meta is { ManagedFields: not null } ? meta with { ManagedFields = null } : meta;

    /// <summary>Every informer, for health and metrics.</summary>
    /// <summary>ConfigMaps other resources name (DorisDisaggregatedClusters'), kept beside those DorisClusters name: one watch serves both.</summary>
    public Func<ConfigMap, bool>? AlsoKeep { get; set; }

    public IReadOnlyList<IInformerHealth> All => [Clusters, StatefulSets, Services, Budgets, Autoscalers, Pods, Nodes, ConfigMaps];

    public Informer<ConfigMap> ConfigMaps { get; }

    public Informer<Node> Nodes { get; }

    public Informer<DorisCluster> Clusters { get; }

    public Informer<StatefulSet> StatefulSets { get; }

    public Informer<Service> Services { get; }

    public Informer<PodDisruptionBudget> Budgets { get; }

    public Informer<HorizontalPodAutoscaler> Autoscalers { get; }

    public Informer<Pod> Pods { get; }

    /// <summary>
    /// Runs every informer and announces the cluster key each change belongs to; a node that starts to be drained
    /// announces its clusters as urgent (when <paramref name="urgent"/> is given), so their drain passes ordinary work.
    /// </summary>
    public Task RunAsync(Action<string> enqueue, Action<string, Exception> failed, CancellationToken cancellationToken, Action<string>? urgent = null)
    {
        Clusters.Changed += c => enqueue($"{c.Metadata!.Namespace}/{c.Metadata.Name}");
        void Child(IKubernetesObject o)
        {
            foreach (var owner in o.Metadata?.OwnerReferences ?? [])
            {
                if (owner.Kind == "DorisCluster")
                {
                    enqueue($"{o.Metadata!.Namespace}/{owner.Name}");
                }
            }
        }

        StatefulSets.Changed += Child;
        Services.Changed += Child;
        Budgets.Changed += Child;
        Autoscalers.Changed += Child;
        Pods.Changed += p =>
        {
            if (p.Metadata?.Labels?.GetValueOrDefault(DorisLabels.Cluster) is { } cluster)
            {
                enqueue($"{p.Metadata.Namespace}/{cluster}");
            }
        };
        ConfigMaps.Changed += cm =>
        {
            foreach (var c in Clusters.List(cm.Metadata!.Namespace).Where(c => c.Spec is not null && References.ConfigMapNames(c.Spec).Contains(cm.Metadata.Name)))
            {
                enqueue($"{c.Metadata!.Namespace}/{c.Metadata.Name}");
            }
        };
        Nodes.Changed += node =>
        {
            var announce = urgent is not null && Doris.Operator.Nodes.DrainSignals.Reason(node) is not null ? urgent : enqueue;
            foreach (var cluster in Pods.List().Where(p => p.Spec?.NodeName == node.Metadata!.Name)
                         .Select(p => $"{p.Metadata!.Namespace}/{p.Metadata.Labels?.GetValueOrDefault(DorisLabels.Cluster)}").Distinct())
            {
                announce(cluster);
            }
        };
        Clusters.Failed += e => failed(nameof(DorisCluster), e);
        StatefulSets.Failed += e => failed(nameof(StatefulSet), e);
        Services.Failed += e => failed(nameof(Service), e);
        Budgets.Failed += e => failed(nameof(PodDisruptionBudget), e);
        Autoscalers.Failed += e => failed(nameof(HorizontalPodAutoscaler), e);
        Pods.Failed += e => failed(nameof(Pod), e);
        Nodes.Failed += e => failed(nameof(Node), e);
        ConfigMaps.Failed += e => failed(nameof(ConfigMap), e);
        return Task.WhenAll(Clusters.RunAsync(cancellationToken), StatefulSets.RunAsync(cancellationToken), Services.RunAsync(cancellationToken), Budgets.RunAsync(cancellationToken), Autoscalers.RunAsync(cancellationToken), Pods.RunAsync(cancellationToken), ConfigMaps.RunAsync(cancellationToken), Nodes.RunAsync(cancellationToken));
    }

    /// <summary>Waits until every informer has its first list, so a reconcile never mistakes "not seen yet" for "missing".</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.WhenAll(
        Clusters.WaitForSyncAsync(cancellationToken), StatefulSets.WaitForSyncAsync(cancellationToken), Services.WaitForSyncAsync(cancellationToken),
        Budgets.WaitForSyncAsync(cancellationToken), Autoscalers.WaitForSyncAsync(cancellationToken), Pods.WaitForSyncAsync(cancellationToken));

    public Task<DorisCluster?> ClusterAsync(string ns, string name, CancellationToken cancellationToken) => Task.FromResult(Clusters.Get(ns, name));

    public Task<IKubernetesObject?> ChildAsync(string kind, string ns, string name, CancellationToken cancellationToken) => Task.FromResult<IKubernetesObject?>(kind switch
    {
        "StatefulSet" => StatefulSets.Get(ns, name),
        "Service" => Services.Get(ns, name),
        "PodDisruptionBudget" => Budgets.Get(ns, name),
        "HorizontalPodAutoscaler" => Autoscalers.Get(ns, name),
        _ => throw new NotSupportedException($"no cache for {kind}"),
    });

    public Task<Node?> NodeAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Nodes.Get(null, name));

    /// <summary>From the cache; a ConfigMap not held yet (named by a cluster after its last event) is read once and adopted.</summary>
    public async Task<ConfigMap?> ConfigMapAsync(string ns, string name, CancellationToken cancellationToken)
    {
        if (ConfigMaps.Get(ns, name) is { } cached)
        {
            return cached;
        }

        var read = await ApiClusterView.GetOrNull(_client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap), ns, name, cancellationToken).ConfigureAwait(false);
        if (read is not null)
        {
            ConfigMaps.Adopt(read);
        }

        return read;
    }

    public async Task<bool> SecretExistsAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_secretsSeen.TryGetValue((ns, name), out var seen) && now - seen < SecretRecheck)
        {
            return true;
        }

        var exists = await ApiClusterView.GetOrNull(_client.For(ResourceDescriptor.Secrets, KubernetesJsonContext.Default.Secret), ns, name, cancellationToken).ConfigureAwait(false) is not null;
        if (exists)
        {
            _secretsSeen[(ns, name)] = now;
        }
        else
        {
            _secretsSeen.TryRemove((ns, name), out _);
        }

        return exists;
    }

    public Task<IReadOnlyList<Pod>> PodsAsync(string ns, string cluster, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Pod>>([.. Pods.Indexed(PodIndex(ns, cluster)).OrderBy(p => p.Metadata?.Name, StringComparer.Ordinal)]);

    private static string PodIndex(string? ns, string cluster) => $"{ns}/{cluster}";
}
