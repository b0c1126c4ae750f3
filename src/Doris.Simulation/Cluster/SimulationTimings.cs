namespace Doris.Simulation.Cluster;

/// <summary>How long simulated containers take; defaults are seconds, close enough to Doris's real start-up to show ordering.</summary>
public sealed record SimulationTimings
{
    /// <summary>From binding to the container running (image pull, init containers).</summary>
    public TimeSpan Start { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>From running to passing the readiness probe (Doris loading its metadata, BE registering).</summary>
    public TimeSpan Ready { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long the preStop hook (stop_fe.sh/stop_be.sh --grace) takes before the container exits; capped by the grace period.</summary>
    public TimeSpan Stop { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Images that never pass readiness (a broken build): their pods stay Running and unready.</summary>
    public IReadOnlySet<string> BrokenImages { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
