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

    /// <summary>Loopback port for /healthz, /readyz and /metrics; null disables the endpoint.</summary>
    public int? ProbePort { get; init; }

    public Runtime.LeaderElectionOptions? Election { get; init; }
}
