namespace Doris.Operator.Runtime;

/// <summary>Back-off for one failing key, and the rate all retries together may not exceed.</summary>
public sealed record WorkQueueOptions
{
    public TimeSpan BaseBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    public double Qps { get; init; } = 10;

    public int Burst { get; init; } = 100;
}
