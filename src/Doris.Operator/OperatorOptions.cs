namespace Doris.Operator;

/// <summary>How the operator runs: which namespace it watches, how many workers, its identity for leader election.</summary>
public sealed record OperatorOptions
{
    /// <summary>Watch one namespace; null watches all.</summary>
    public string? WatchNamespace { get; init; }

    /// <summary>Where the leader-election Lease lives.</summary>
    public string LeaseNamespace { get; init; } = "doris-system";

    public string Identity { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public int Workers { get; init; } = 4;

    /// <summary>
    /// Drains in the queue's urgent lane (on by default). Off only for the benchmark that measures what the lane
    /// saves: without it a drain signal waits behind every cluster already queued.
    /// </summary>
    public bool PriorityLane { get; init; } = true;

    /// <summary>Port for /healthz, /readyz and /metrics; null disables the endpoint.</summary>
    public int? ProbePort { get; init; }

    /// <summary>Loopback by default; in a pod, all interfaces, because the kubelet probes the pod's IP.</summary>
    public System.Net.IPAddress ProbeAddress { get; init; } = System.Net.IPAddress.Loopback;

    public Runtime.LeaderElectionOptions? Election { get; init; }

    /// <summary>How to reach a cluster's FE for SQL; null means the FE Service's cluster DNS name (the sandbox points it at its simulated FEs).</summary>
    public Membership.FrontendEndpoint? FrontendEndpoint { get; init; }

    /// <summary>How to reach a DorisDisaggregatedCluster's FE for SQL; null means its FE Service's cluster DNS name.</summary>
    public Disaggregated.DisaggregatedFrontendEndpoint? DisaggregatedFrontendEndpoint { get; init; }

    /// <summary>
    /// Reconcile DorisDisaggregatedClusters too (on by default) when their CRD is installed; without the CRD the
    /// operator says so in its log and in <c>dorisctl_disaggregated_served</c> and serves DorisClusters alone.
    /// </summary>
    public bool Disaggregated { get; init; } = true;

    /// <summary>Where logs go (JSON lines from <c>dorisctl operator</c>); none when null.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? Logging { get; init; }

    /// <summary>Watch timeouts and back-off of the informers.</summary>
    public Runtime.InformerOptions? Informers { get; init; }

    /// <summary>Rate limits of the work queue.</summary>
    public Runtime.WorkQueueOptions? Queue { get; init; }

    /// <summary>Every cluster is reconciled at least this often (with jitter), so a missed event is never permanent.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>/readyz fails while the leader has an informer without a working watch for longer than this.</summary>
    public TimeSpan WatchHealthBound { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// When memory a burst of work committed is given back; null (the default) never trims. `dorisctl operator` sets it:
    /// a trim is a blocking collection of the whole process, right for the operator's own process but not for one that
    /// hosts other work (the sandbox, tests).
    /// </summary>
    public Runtime.MemoryTrimPolicy? MemoryTrim { get; init; }

    /// <summary>/healthz fails while one reconcile has been running longer than this (a stuck worker).</summary>
    public TimeSpan StuckReconcileBound { get; init; } = TimeSpan.FromMinutes(5);
}
