namespace Doris.Kubernetes.Client.Http;

/// <summary>Client-side limits: request rate (QPS with a burst), retries with capped back-off, and a per-request timeout.</summary>
public sealed record ClientOptions
{
    public double Qps { get; init; } = 20;

    public int Burst { get; init; } = 40;

    public int MaxRetries { get; init; } = 5;

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string UserAgent { get; init; } = "dorisctl";
}
