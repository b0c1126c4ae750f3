using Doris.Api.Disaggregated;
using Doris.Api.Serialization;
using Doris.Desired.Disaggregated;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Cluster;
using Doris.Operator.Runtime;

namespace Doris.Operator.Disaggregated;

/// <summary>
/// The caches a DorisDisaggregatedCluster reconcile reads: the clusters, and the StatefulSets, Services and pods that
/// carry upstream's <c>app.doris.disaggregated.cluster</c> label (so memory follows these clusters only). ConfigMaps
/// and nodes come from the DorisCluster caches, which keep the ConfigMaps these clusters name as well.
/// </summary>
public sealed class DisaggregatedView : IChildView
{
    private readonly CachedClusterView _shared;

    public DisaggregatedView(KubernetesClient client, string? ns, TimeProvider time, CachedClusterView shared, InformerOptions? informers = null)
    {
        _shared = shared;
        Clusters = new Informer<DorisDisaggregatedCluster>(client.For(DisaggregatedResource.Descriptor, () => DorisApiJsonContext.Default.DorisDisaggregatedCluster), ns, time, options: informers);
        StatefulSets = new Informer<StatefulSet>(client.For(ResourceDescriptor.StatefulSets, () => KubernetesJsonContext.Default.StatefulSet), ns, time, DisaggregatedLabels.Cluster, options: informers, lean: CachedClusterView.LeanStatefulSet) { Label = "statefulsets.disaggregated", IndexBy = ByCluster };
        Services = new Informer<Service>(client.For(ResourceDescriptor.Services, () => KubernetesJsonContext.Default.Service), ns, time, DisaggregatedLabels.Cluster, options: informers) { Label = "services.disaggregated" };
        Budgets = new Informer<PodDisruptionBudget>(client.For(ResourceDescriptor.PodDisruptionBudgets, () => KubernetesJsonContext.Default.PodDisruptionBudget), ns, time, DisaggregatedLabels.Cluster, options: informers) { Label = "poddisruptionbudgets.disaggregated", IndexBy = ByCluster };
        Pods = new Informer<Pod>(client.For(ResourceDescriptor.Pods, () => KubernetesJsonContext.Default.Pod), ns, time, DisaggregatedLabels.Cluster, options: informers, lean: CachedClusterView.LeanPod)
        {
            Label = "pods.disaggregated",
            IndexBy = ByCluster,
        };
        shared.AlsoKeep = cm => Clusters.List().Any(c => DisaggregatedReferences.ConfigMaps(c).Contains((cm.Metadata!.Namespace ?? "default", cm.Metadata.Name!)));
    }

    public Informer<DorisDisaggregatedCluster> Clusters { get; }

    public Informer<StatefulSet> StatefulSets { get; }

    public Informer<Service> Services { get; }

    public Informer<PodDisruptionBudget> Budgets { get; }

    public Informer<Pod> Pods { get; }

    public IReadOnlyList<IInformerHealth> All => [Clusters, StatefulSets, Services, Budgets, Pods];

    public Task RunAsync(Action<string> enqueue, Action<string, Exception> failed, CancellationToken cancellationToken, Action<string>? urgent = null)
    {
        Clusters.Changed += c => enqueue($"{c.Metadata!.Namespace}/{c.Metadata.Name}");
        void Labelled(IKubernetesObject o)
        {
            if (o.Metadata?.Labels?.GetValueOrDefault(DisaggregatedLabels.Cluster) is { } cluster)
            {
                enqueue($"{o.Metadata.Namespace}/{cluster}");
            }
        }

        StatefulSets.Changed += Labelled;
        Services.Changed += Labelled;
        Budgets.Changed += Labelled;
        Pods.Changed += Labelled;
        _shared.ConfigMaps.Changed += cm =>
        {
            foreach (var c in Clusters.List().Where(c => DisaggregatedReferences.ConfigMaps(c).Contains((cm.Metadata!.Namespace ?? "default", cm.Metadata.Name!))))
            {
                enqueue($"{c.Metadata!.Namespace}/{c.Metadata.Name}");
            }
        };

        // A drain signal on a node that runs a compute-group member jumps the queue, as for a DorisCluster's CNs.
        _shared.Nodes.Changed += node =>
        {
            var announce = urgent is not null && Doris.Operator.Nodes.DrainSignals.Reason(node) is not null ? urgent : enqueue;
            foreach (var cluster in Pods.List().Where(p => p.Spec?.NodeName == node.Metadata!.Name)
                         .Select(p => $"{p.Metadata!.Namespace}/{p.Metadata.Labels?.GetValueOrDefault(DisaggregatedLabels.Cluster)}").Distinct())
            {
                announce(cluster);
            }
        };
        Clusters.Failed += e => failed(nameof(DorisDisaggregatedCluster), e);
        StatefulSets.Failed += e => failed(nameof(StatefulSet), e);
        Services.Failed += e => failed(nameof(Service), e);
        Budgets.Failed += e => failed(nameof(PodDisruptionBudget), e);
        Pods.Failed += e => failed(nameof(Pod), e);
        return Task.WhenAll(Clusters.RunAsync(cancellationToken), StatefulSets.RunAsync(cancellationToken), Services.RunAsync(cancellationToken), Budgets.RunAsync(cancellationToken), Pods.RunAsync(cancellationToken));
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.WhenAll(
        Clusters.WaitForSyncAsync(cancellationToken), StatefulSets.WaitForSyncAsync(cancellationToken), Services.WaitForSyncAsync(cancellationToken), Budgets.WaitForSyncAsync(cancellationToken), Pods.WaitForSyncAsync(cancellationToken));

    public Task<IKubernetesObject?> ChildAsync(string kind, string ns, string name, CancellationToken cancellationToken) => Task.FromResult<IKubernetesObject?>(kind switch
    {
        "StatefulSet" => StatefulSets.Get(ns, name),
        "Service" => Services.Get(ns, name),
        "PodDisruptionBudget" => Budgets.Get(ns, name),
        _ => throw new NotSupportedException($"no cache for {kind}"),
    });

    public Task<ConfigMap?> ConfigMapAsync(string ns, string name, CancellationToken cancellationToken) => _shared.ConfigMapAsync(ns, name, cancellationToken);

    public Task<Node?> NodeAsync(string name, CancellationToken cancellationToken) => _shared.NodeAsync(name, cancellationToken);

    public IReadOnlyList<Pod> PodsOf(string ns, string cluster) =>
        [.. Pods.Indexed(Filed(ns, cluster)).OrderBy(p => p.Metadata?.Name, StringComparer.Ordinal)];

    // Each cluster's objects filed under "namespace/cluster" (its label), so a reconcile reads its own few.
    private static string? ByCluster(IKubernetesObject o) =>
        o.Metadata?.Labels?.GetValueOrDefault(DisaggregatedLabels.Cluster) is { } owner ? Filed(o.Metadata.Namespace, owner) : null;

    private static string Filed(string? ns, string cluster) => $"{ns}/{cluster}";

    /// <summary>The PodDisruptionBudgets this cluster (by uid) owns.</summary>
    public IReadOnlyList<PodDisruptionBudget> BudgetsOf(DorisDisaggregatedCluster cluster) =>
        [.. Budgets.Indexed(Filed(cluster.Metadata!.Namespace, cluster.Metadata.Name!)).Where(b => b.Metadata!.OwnerReferences?.Any(o => o.Uid == cluster.Metadata.Uid) == true)
            .OrderBy(b => b.Metadata!.Name, StringComparer.Ordinal)];

    /// <summary>The StatefulSets this cluster (by uid) owns: a same-named set someone else made is never touched.</summary>
    public IReadOnlyList<StatefulSet> SetsOf(DorisDisaggregatedCluster cluster) =>
        [.. StatefulSets.Indexed(Filed(cluster.Metadata!.Namespace, cluster.Metadata.Name!)).Where(s => s.Metadata!.OwnerReferences?.Any(o => o.Uid == cluster.Metadata.Uid) == true)
            .OrderBy(s => s.Metadata!.Name, StringComparer.Ordinal)];
}
