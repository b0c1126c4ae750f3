namespace Doris.Operator.Runtime;

/// <summary>
/// Lease timings, with client-go's defaults: a lease lasts 15 s, the leader must renew within 10 s or step
/// down, and candidates retry every 2 s. A new leader can only start after the old lease has expired.
/// </summary>
public sealed record LeaderElectionOptions(string Namespace, string Name, string Identity)
{
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}
