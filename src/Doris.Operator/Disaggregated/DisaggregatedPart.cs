using Doris.Api.Serialization;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Operator.Cluster;
using Doris.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Doris.Operator.Disaggregated;

/// <summary>
/// The DorisDisaggregatedCluster side of one leadership term: its caches, its own work queue and workers (so one
/// kind's backlog never delays the other's), and the reconciler. Started only when the API server serves the CRD.
/// </summary>
public sealed class DisaggregatedPart
{
    private readonly Controller<string> _controller;
    private readonly DisaggregatedReconciler _reconciler;

    private readonly TimeProvider _time;

    private DisaggregatedPart(DisaggregatedView view, WorkQueue<string> queue, DisaggregatedReconciler reconciler, int workers, TimeProvider time)
    {
        _time = time;
        View = view;
        Queue = queue;
        _reconciler = reconciler;
        _controller = new Controller<string>(queue, reconciler, workers);
    }

    public DisaggregatedView View { get; }

    public WorkQueue<string> Queue { get; }

    public long Reconciles => _controller.Reconciles;

    public int Writes => _reconciler.Writes;

    public bool Idle => Queue.Count == 0 && _controller.InFlight == 0 && View.All.All(i => !i.Busy);

    /// <summary>
    /// Asks the API server whether it serves DorisDisaggregatedClusters; if it does not (the CRD is not installed) this
    /// term serves DorisClusters alone and says so in the log. Any other failure is thrown: the term starts again.
    /// </summary>
    public static async Task<DisaggregatedPart?> StartAsync(KubernetesClient client, OperatorOptions options, TimeProvider time, CachedClusterView shared, EventRecorder events,
        Membership.FrontendAccess frontends, Nodes.DrainStep drains, ILogger log, CancellationToken cancellationToken)
    {
        try
        {
            await client.For(DisaggregatedResource.Descriptor, () => DorisApiJsonContext.Default.DorisDisaggregatedCluster)
                .ListAsync(options.WatchNamespace, limit: 1, skipUndecodable: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            log.LogWarning("the API server does not serve dorisdisaggregatedclusters.disaggregated.cluster.doris.com (CRD not installed): only DorisClusters are reconciled; install the CRD (dorisctl install) and restart the operator to serve both");
            return null;
        }

        var view = new DisaggregatedView(client, options.WatchNamespace, time, shared, options.Informers);
        var queue = new WorkQueue<string>(time, options.Queue);
        var members = new ComputeGroupMembers(frontends, options.DisaggregatedFrontendEndpoint);
        var reconciler = new DisaggregatedReconciler(client, events, time, view, shared, members, new ComputeGroupDrain(members, drains, time));
        var part = new DisaggregatedPart(view, queue, reconciler, Math.Max(1, options.Workers / 2), time);
        part._controller.Failed += (key, e) => log.LogWarning("reconcile of DorisDisaggregatedCluster {Cluster} failed, retrying with back-off: {Error}", key, e.Message);
        return part;
    }

    public async Task RunAsync(Action<string, Exception> failed, bool priorityLane, TimeSpan resync, CancellationToken cancellationToken)
    {
        var feeds = View.RunAsync(key => Queue.Add(key), failed, cancellationToken, priorityLane ? key => Queue.AddUrgent(key) : null);
        await View.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_controller.RunAsync(cancellationToken), feeds, ResyncAsync(resync, cancellationToken)).ConfigureAwait(false);
    }

    // As for DorisClusters: every cluster queued again now and then, so a missed event is never permanent.
    private async Task ResyncAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        if (period <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromTicks((long)(period.Ticks * (0.9 + (Random.Shared.NextDouble() * 0.2)))), _time, cancellationToken).ConfigureAwait(false);
                foreach (var cluster in View.Clusters.List())
                {
                    Queue.Add($"{cluster.Metadata!.Namespace}/{cluster.Metadata.Name}", WorkQueue<string>.Resync);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
