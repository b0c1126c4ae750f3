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
    private WorkQueue<string> _queue = new(time);
    private DorisClusterReconciler? _reconciler;
    private Controller<string>? _controller;
    private CachedClusterView? _view;
    private readonly ILogger _log = (options.Logging ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("dorisctl.operator");
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

    /// <summary>Nothing queued and nothing running (for tests that step a simulated world and wait for the operator to settle).</summary>
    public bool Idle => _queue.Count == 0 && (_controller?.InFlight ?? 0) == 0;

    public int Writes => _reconciler?.Writes ?? 0;

    /// <summary>Drains of members off nodes being taken away, kept across leadership terms of this process.</summary>
    public Nodes.DrainLog Drains { get; } = new();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        FeedFailed += (kind, e) => _log.LogWarning("list/watch of {Kind} failed, retrying: {Error}", kind, e.Message);
        await using var probes = options.ProbePort is { } port ? await StartProbesAsync(port, cancellationToken).ConfigureAwait(false) : null;
        _elector = new LeaderElector(
            client.For(ResourceDescriptor.Leases, KubernetesJsonContext.Default.Lease),
            options.Election ?? new LeaderElectionOptions(options.LeaseNamespace, "dorisctl-operator", options.Identity),
            time) { ReleaseOnCancel = !_abandon };
        await _elector.RunAsync(LeadAsync, cancellationToken).ConfigureAwait(false);
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        _queue = new WorkQueue<string>(time); // a fresh queue per term: the last one was shut down when leadership ended
        var view = _view = new CachedClusterView(client, options.WatchNamespace, time);
        _log.LogInformation("elected leader as {Identity}; watching {Namespace}", options.Identity, options.WatchNamespace ?? "all namespaces");
        await using var frontends = new Membership.FrontendAccess(client, options.FrontendEndpoint);
        var drains = new Nodes.DrainStep(frontends, client.For(ResourceDescriptor.Pods, KubernetesJsonContext.Default.Pod), Drains, time);
        _reconciler = new DorisClusterReconciler(client, new EventRecorder(client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event), time), time, view, new Membership.MembershipStep(frontends), drains, new Nodes.LocationTags(frontends));
        _controller = new Controller<string>(_queue, _reconciler, options.Workers);
        _controller.Failed += (key, e) => _log.LogWarning("reconcile of {Cluster} failed, retrying with back-off: {Error}", key, e.Message);
        _controller.Succeeded += (key, elapsed) => _log.LogDebug("reconciled {Cluster} in {Milliseconds} ms", key, elapsed.TotalMilliseconds);
        var feeds = view.RunAsync(_queue.Add, (kind, e) => FeedFailed?.Invoke(kind, e), cancellationToken);
        try
        {
            // Reconciling before the caches hold a full list would mistake "not seen yet" for "missing".
            await view.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(_controller.RunAsync(cancellationToken), feeds).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        _queue.ShutDown();
        _log.LogInformation("stopped leading");
    }

    /// <summary>Raised when a list or watch fails and is about to be retried (for logs).</summary>
    public event Action<string, Exception>? FeedFailed;

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
            return OperatorMetrics.Render(new OperatorMetrics.Snapshot(Reconciles, _controller?.Errors ?? 0, _queue.Count, IsLeader, Writes, _controller?.Durations, client.Requests, _view?.Clusters.Count ?? 0, _view?.Pods.Count ?? 0) { Drains = Drains });
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }
}
