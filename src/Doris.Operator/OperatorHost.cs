using System.Net;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Cluster;
using Doris.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Doris.Operator;

/// <summary>
/// The operator process: campaigns for leadership, then lists and watches DorisClusters and the children that
/// carry the operator's owner label (so memory grows with Doris clusters, not with the Kubernetes cluster),
/// maps every event to its cluster's key, and reconciles with several workers until stopped. Leadership that is
/// lost is campaigned for again; every cluster is resynced periodically; /readyz and /healthz tell the truth about
/// the watches and the workers.
/// </summary>
public sealed class OperatorHost(KubernetesClient client, OperatorOptions options, TimeProvider time)
{
    private WorkQueue<string> _queue = new(time, options.Queue);
    private DorisClusterReconciler? _reconciler;
    private Controller<string>? _controller;
    private CachedClusterView? _view;
    private readonly ILogger _log = (options.Logging ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("dorisctl.operator");
    private LeaderElector? _elector;
    private bool _abandon;
    private int _terms;
    private volatile bool _starting;
    private Runtime.MemoryTrimmer? _trimmer;
    private Doris.Operator.Disaggregated.DisaggregatedPart? _ddc;
    private volatile bool _ddcProbing; // the DorisDisaggregatedCluster CRD probe has not answered yet: not ready

    /// <summary>Says the host is about to be run: until its first election round it is not idle (a driver of simulated time waits for it).</summary>
    public void Starting() => _starting = true;

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

    public long Reconciles => (_controller?.Reconciles ?? 0) + (_ddc?.Reconciles ?? 0);

    /// <summary>Nothing queued and nothing running (for tests that step a simulated world and wait for the operator to settle).</summary>
    /// <remarks>
    /// Work outside the queue counts too: an election round or a list/watch request on its way is real I/O that
    /// simulated time must not run ahead of (a leader would otherwise miss its renewals, or reconcile late).
    /// </remarks>
    public bool Idle => _queue.Count == 0 && (_controller?.InFlight ?? 0) == 0 && !(_starting && (_elector?.Rounds ?? 0) == 0) && _elector?.Busy != true
        && !(IsLeader && _view is null) && (_view?.All.All(i => !i.Busy) ?? true) && (_ddc?.Idle ?? true);

    public int Writes => (_reconciler?.Writes ?? 0) + (_ddc?.Writes ?? 0);

    /// <summary>The DorisDisaggregatedCluster side of the current term (null while not leading or when its CRD is not installed).</summary>
    public Doris.Operator.Disaggregated.DisaggregatedPart? Disaggregated => _ddc;

    /// <summary>Terms as leader so far (a lost lease that is won back starts a new one).</summary>
    public int Terms => Volatile.Read(ref _terms);

    /// <summary>The caches of the current term (null while not leading).</summary>
    public CachedClusterView? View => _view;

    /// <summary>The work queue of the current term.</summary>
    public WorkQueue<string> Queue => _queue;

    /// <summary>Drains of members off nodes being taken away, kept across leadership terms of this process.</summary>
    public Nodes.DrainLog Drains { get; } = new();

    /// <summary>Why /readyz fails right now (empty when ready).</summary>
    public IReadOnlyList<string> NotReady() => OperatorHealth.NotReady(IsLeader, Informers(), time.GetUtcNow(), options.WatchHealthBound, Election());

    // A follower that has never had an answer does not know it is one; one whose rounds have had none for longer
    // than the watch bound could not take over. A shorter blip is let pass, as for the informers' watches. One the API
    // server refuses the Lease (RBAC, a missing namespace) never leads until that is fixed: not ready at once.
    private string? Election() => _elector switch
    {
        null or { Rounds: 0 } => "starting: the first leader-election round has not finished",
        { Refused: { } why } => $"leader election refused: {why}",
        { Unreachable: { } why, LastAnswer: var last } when last is null || time.GetUtcNow() - last > options.WatchHealthBound =>
            $"leader election cannot reach the API server{(last is null ? string.Empty : $" (no answer for {(time.GetUtcNow() - last.Value).TotalSeconds:0} s)")}: {why}",
        _ => null,
    };

    private IReadOnlyList<IInformerHealth>? Informers() => _view is { } view && !_ddcProbing ? [.. view.All, .. _ddc?.View.All ?? []] : null;

    /// <summary>Why /healthz fails right now (null when live).</summary>
    public string? NotLive() => OperatorHealth.NotLive(_controller?.LongestRunning(), options.StuckReconcileBound);

    /// <summary>The reconcile running longest right now and for how long (wall clock), for diagnostics.</summary>
    public (string Key, TimeSpan For)? LongestRunning() => _controller?.LongestRunning();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        FeedFailed += (kind, e) => _log.LogWarning("list/watch of {Kind} failed, retrying: {Error}", kind, e.Message);
        await using var probes = options.ProbePort is { } port ? StartProbes(port) : null;
        _elector = new LeaderElector(
            client.For(ResourceDescriptor.Leases, KubernetesJsonContext.Default.Lease),
            options.Election ?? new LeaderElectionOptions(options.LeaseNamespace, "dorisctl-operator", options.Identity),
            time) { ReleaseOnCancel = !_abandon };
        _elector.UnreachableChanged += why =>
        {
            if (why is null)
            {
                _log.LogInformation("leader election reaches the API server again");
            }
            else
            {
                _log.LogWarning("leader election cannot reach the API server, retrying: {Reason}", why);
            }
        };
        _elector.RefusedChanged += why =>
        {
            if (why is null)
            {
                _log.LogInformation("leader election is no longer refused");
            }
            else
            {
                _log.LogError("leader election refused, so this operator cannot lead and /readyz fails: {Reason}", why);
            }
        };

        // A leader that could not renew in time stops leading (another may have taken over); it then campaigns
        // again, so an operator cut off from the API server for a while comes back by itself.
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await _elector.RunAsync(LeadAsync, cancellationToken).ConfigureAwait(false);
                if (!cancellationToken.IsCancellationRequested)
                {
                    _log.LogWarning("lost the leader lease; campaigning again");
                }
            }
        }
        finally
        {
            _starting = false;
        }
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _terms);
        _queue = new WorkQueue<string>(time, options.Queue); // a fresh queue per term: the last one was shut down when leadership ended
        _ddcProbing = options.Disaggregated;
        var view = _view = new CachedClusterView(client, options.WatchNamespace, time, options.Informers);
        _log.LogInformation("elected leader as {Identity}; watching {Namespace}", options.Identity, options.WatchNamespace ?? "all namespaces");
        await using var frontends = new Membership.FrontendAccess(client, options.FrontendEndpoint);
        var drains = new Nodes.DrainStep(frontends, client.For(ResourceDescriptor.Pods, () => KubernetesJsonContext.Default.Pod), Drains, time);
        var events = new EventRecorder(client.For(ResourceDescriptor.Events, () => KubernetesJsonContext.Default.Event), time);
        _reconciler = new DorisClusterReconciler(client, events, time, view, new Membership.MembershipStep(frontends), drains, new Nodes.LocationTags(frontends));
        _controller = new Controller<string>(_queue, _reconciler, options.Workers);
        var controller = _controller;
        var termQueue = _queue;
        // Memory is the process's, so the trimmer keeps real time even when the operator runs on simulated time.
        _trimmer = options.MemoryTrim is { } trim ? new Runtime.MemoryTrimmer(trim, () => termQueue.Count == 0 && controller.InFlight == 0, TimeProvider.System) : null;
        _controller.Failed += (key, e) => _log.LogWarning("reconcile of {Cluster} failed, retrying with back-off: {Error}", key, e.Message);
        _controller.Succeeded += (key, elapsed) => _log.LogDebug("reconciled {Cluster} in {Milliseconds} ms", key, elapsed.TotalMilliseconds);
        ReportUndecodable(view, events, cancellationToken);
        var queue = _queue;
        var feeds = view.RunAsync(key => queue.Add(key), (kind, e) => FeedFailed?.Invoke(kind, e), cancellationToken, options.PriorityLane ? key => queue.AddUrgent(key) : null);

        Doris.Operator.Disaggregated.DisaggregatedPart? ddc = null;
        try
        {
            // The DorisDisaggregatedCluster CRD probe (a request) runs while the DorisCluster caches list, not before
            // them: awaited first it delayed every DorisCluster's first reconcile by a round trip. Until it answers,
            // /readyz says so. A ConfigMap a storage-compute cluster names that the first list passed over is read
            // once on its first reconcile (CachedClusterView.ConfigMapAsync), so the order costs no correctness.
            try
            {
                ddc = _ddc = options.Disaggregated ? await Doris.Operator.Disaggregated.DisaggregatedPart.StartAsync(client, options, time, view, events, frontends, drains, _log, cancellationToken).ConfigureAwait(false) : null;
            }
            finally
            {
                _ddcProbing = false;
            }

            var ddcRun = ddc?.RunAsync((kind, e) => FeedFailed?.Invoke(kind, e), options.PriorityLane, options.ResyncPeriod, cancellationToken) ?? Task.CompletedTask;

            // Reconciling before the caches hold a full list would mistake "not seen yet" for "missing".
            await view.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
            LogSynced();
            var trimming = _trimmer?.RunAsync(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), cancellationToken) ?? Task.CompletedTask;
            await Task.WhenAll(_controller.RunAsync(cancellationToken), feeds, ResyncAsync(view, queue, cancellationToken), trimming, ddcRun).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            queue.ShutDown();
            ddc?.Queue.ShutDown();
            _view = null;
            _ddc = null;
        }

        _log.LogInformation("stopped leading");
    }

    // Start-up in the log for whoever runs it: wall time since the process started and what the JIT had to compile
    // (the same count is the metric dotnet_jit_compiled_methods_total).
    private void LogSynced() =>
        _log.LogInformation("caches synced {Milliseconds} ms after the process started ({Methods} methods compiled at run time); reconciling",
            (long?)Runtime.ProcessAge.Now()?.TotalMilliseconds, System.Runtime.JitInfo.GetCompiledMethodCount());

    // Objects that do not decode are named in the log and, for a DorisCluster, in a Warning Event on it; the
    // operator leaves that cluster alone (it is out of the cache) and goes on with every other.
    private void ReportUndecodable(CachedClusterView view, EventRecorder events, CancellationToken cancellationToken)
    {
        view.Clusters.Undecodable += bad =>
        {
            _log.LogWarning("{Object}; it is not reconciled until the field is fixed, every other cluster is", bad.ToString());
            var about = new DorisCluster
            {
                ApiVersion = DorisClusterResource.ApiVersion,
                Kind = DorisClusterResource.Kind,
                Metadata = new ObjectMeta { Name = bad.Name, Namespace = bad.Namespace, Uid = bad.Uid, ResourceVersion = bad.ResourceVersion },
            };
            _ = events.RecordAsync(about, "Warning", "SpecUndecodable", $"{bad.Field}: {bad.Message}. The operator cannot read this DorisCluster and leaves it as it is (nothing is changed or deleted) until the field is fixed; other clusters are unaffected.", cancellationToken);
        };
        view.Clusters.Recovered += bad => _log.LogInformation("DorisCluster {Key} decodes again; reconciling it", bad.Key);
        foreach (var (kind, informer) in new (string, Action<Action<UndecodableObject>>)[]
        {
            ("StatefulSet", h => view.StatefulSets.Undecodable += h), ("Service", h => view.Services.Undecodable += h),
            ("PodDisruptionBudget", h => view.Budgets.Undecodable += h), ("HorizontalPodAutoscaler", h => view.Autoscalers.Undecodable += h),
            ("Pod", h => view.Pods.Undecodable += h), ("Node", h => view.Nodes.Undecodable += h), ("ConfigMap", h => view.ConfigMaps.Undecodable += h),
        })
        {
            informer(bad => _log.LogWarning("{Kind} {Object} is left out of the cache: {Error}", kind, bad.Key, bad.ToString()));
        }
    }

    // A missed event must never be permanent: every cluster is queued again now and then, spread out by jitter.
    private async Task ResyncAsync(CachedClusterView view, WorkQueue<string> queue, CancellationToken cancellationToken)
    {
        if (options.ResyncPeriod <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var period = TimeSpan.FromTicks((long)(options.ResyncPeriod.Ticks * (0.9 + (Random.Shared.NextDouble() * 0.2))));
                await Task.Delay(period, time, cancellationToken).ConfigureAwait(false);
                foreach (var cluster in view.Clusters.List())
                {
                    queue.Add($"{cluster.Metadata!.Namespace}/{cluster.Metadata.Name}", WorkQueue<string>.Resync);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Raised when a list or watch fails and is about to be retried (for logs).</summary>
    public event Action<string, Exception>? FeedFailed;

    private ProbeServer StartProbes(int port) => ProbeServer.Start(options.ProbeAddress, port, path => path switch
    {
        "/healthz" => NotLive() is { } stuck ? new ProbeServer.Response(500, "text/plain; charset=utf-8", stuck + "\n") : new ProbeServer.Response(200, "text/plain; charset=utf-8", "ok"),

        // Followers are ready too, so a rollout of the operator is not held up by the election; a leader is ready
        // only while it can see changes.
        "/readyz" => NotReady() is { Count: > 0 } problems ? new ProbeServer.Response(503, "text/plain; charset=utf-8", string.Join("\n", problems) + "\n") : new ProbeServer.Response(200, "text/plain; charset=utf-8", "ok"),
        "/metrics" => new ProbeServer.Response(200, "text/plain; version=0.0.4", Metrics()),
        _ => null,
    });

    private string Metrics()
    {
        var view = _view;
        return OperatorMetrics.Render(new OperatorMetrics.Snapshot(Reconciles, _controller?.Errors ?? 0, _queue.Count, IsLeader, Writes, _controller?.Durations, client.Requests, view?.Clusters.Count ?? 0, view?.Pods.Count ?? 0)
        {
            Drains = Drains,
            Informers = Informers() ?? [],
            DisaggregatedServed = _ddc is not null,
            QueueByReason = _queue.Depth(),
            WaitingByReason = _queue.Waiting(),
            Now = time.GetUtcNow(),
            Terms = Terms,
            Memory = OperatorMetrics.MemorySample.Now(),
            MemoryTrims = _trimmer?.Trims ?? 0,
        });
    }
}
