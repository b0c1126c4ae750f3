using System.Net;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Cluster;
using Doris.Operator.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Doris.Operator;

/// <summary>
/// The operator process: campaigns for leadership, then lists and watches DorisClusters and the children that
/// carry the operator's owner label (so memory grows with Doris clusters, not with the Kubernetes cluster),
/// maps every event to its cluster's key, and reconciles with several workers until stopped.
/// </summary>
public sealed class OperatorHost(KubernetesClient client, OperatorOptions options, TimeProvider time)
{
    private readonly WorkQueue<string> _queue = new(time);
    private DorisClusterReconciler? _reconciler;
    private Controller<string>? _controller;
    private LeaderElector? _elector;

    public bool IsLeader => _elector?.IsLeader == true;

    /// <summary>Makes the coming stop behave like a kill: the lease is not released, so a successor waits for it to expire.</summary>
    public void AbandonLeaseOnStop()
    {
        _abandon = true;
        if (_elector is not null)
        {
            _elector.ReleaseOnCancel = false;
        }
    }

    private bool _abandon;

    public long Reconciles => _controller?.Reconciles ?? 0;

    public int Writes => _reconciler?.Writes ?? 0;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var probes = options.ProbePort is { } port ? await StartProbesAsync(port, cancellationToken).ConfigureAwait(false) : null;
        _elector = new LeaderElector(
            client.For(ResourceDescriptor.Leases, KubernetesJsonContext.Default.Lease),
            options.Election ?? new LeaderElectionOptions(options.LeaseNamespace, "dorisctl-operator", options.Identity),
            time) { ReleaseOnCancel = !_abandon };
        await _elector.RunAsync(LeadAsync, cancellationToken).ConfigureAwait(false);
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        _reconciler = new DorisClusterReconciler(client, new EventRecorder(client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event), time), time);
        _controller = new Controller<string>(_queue, _reconciler, options.Workers);
        var clusters = client.For(DorisClusterResource.Descriptor, DorisApiJsonContext.Default.DorisCluster);
        var statefulSets = client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet);
        await Task.WhenAll(
            _controller.RunAsync(cancellationToken),
            FeedAsync(new ListWatcher<DorisCluster>(clusters, options.WatchNamespace), c => [Key(c)], cancellationToken),
            FeedAsync(new ListWatcher<StatefulSet>(statefulSets, options.WatchNamespace, Api.Naming.DorisLabels.OwnerReference), Owners, cancellationToken)).ConfigureAwait(false);
        _queue.ShutDown();
    }

    /// <summary>
    /// Turns list and watch updates into queue keys; a relist re-queues everything it saw. API failures (the CRD
    /// not installed yet, the server restarting) are retried with capped back-off instead of ending the feed.
    /// </summary>
    private async Task FeedAsync<T>(ListWatcher<T> watcher, Func<T, IEnumerable<string>> keys, CancellationToken cancellationToken)
        where T : class, IKubernetesObject
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var update in watcher.RunAsync(cancellationToken).ConfigureAwait(false))
                {
                    backoff = TimeSpan.FromMilliseconds(250);
                    foreach (var obj in update.Relisted ? update.Items : [update.Event!.Object])
                    {
                        foreach (var key in keys(obj))
                        {
                            _queue.Add(key);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException e)
            {
                FeedFailed?.Invoke(typeof(T).Name, e);
                try
                {
                    await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>Raised when a list or watch fails and is about to be retried (for logs).</summary>
    public event Action<string, Exception>? FeedFailed;

    private static string Key(IKubernetesObject obj) => $"{obj.Metadata!.Namespace}/{obj.Metadata.Name}";

    private static IEnumerable<string> Owners(IKubernetesObject child) =>
        (child.Metadata?.OwnerReferences ?? []).Where(o => o.Kind == "DorisCluster").Select(o => $"{child.Metadata!.Namespace}/{o.Name}");

    private async Task<WebApplication> StartProbesAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(options.ProbeAddress, port));
        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");

        // Ready to take over: followers are ready too, so a rollout of the operator is not held up by the election.
        app.MapGet("/readyz", () => "ok");
        app.MapGet("/metrics", (HttpContext http) =>
        {
            http.Response.ContentType = "text/plain; version=0.0.4";
            return OperatorMetrics.Render(Reconciles, _controller?.Errors ?? 0, _queue.Count, IsLeader, Writes);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }
}
