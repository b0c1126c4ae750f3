namespace Doris.Operator.Runtime;

/// <summary>
/// Back-off for one failing key, the rate all retries together may not exceed, and the limits on how often keys
/// may enter the queue at all: per key, so a storm of events on one cluster cannot monopolise the workers, and
/// overall, so nothing can make the operator spin. The limits sit well above what a working operator needs.
/// </summary>
public sealed record WorkQueueOptions
{
    public TimeSpan BaseBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries per second over all keys.</summary>
    public double Qps { get; init; } = 10;

    public int Burst { get; init; } = 100;

    /// <summary>Times per second one key may be handed to a worker, with <see cref="PerKeyBurst"/> in hand.</summary>
    public double PerKeyQps { get; init; } = 5;

    public int PerKeyBurst { get; init; } = 25;

    /// <summary>Keys per second handed to workers over all keys, with <see cref="OverallBurst"/> in hand.</summary>
    public double OverallQps { get; init; } = 200;

    public int OverallBurst { get; init; } = 2000;
}
