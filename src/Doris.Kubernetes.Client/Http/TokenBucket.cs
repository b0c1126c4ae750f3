namespace Doris.Kubernetes.Client.Http;

/// <summary>A client-side rate limit (QPS with a burst), so a busy operator never floods the API server.</summary>
internal sealed class TokenBucket(double qps, int burst, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private DateTimeOffset _last = time.GetUtcNow();

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                _tokens = Math.Min(burst, _tokens + (now - _last).TotalSeconds * qps);
                _last = now;
                if (_tokens >= 1)
                {
                    _tokens--;
                    return;
                }

                wait = TimeSpan.FromSeconds((1 - _tokens) / qps);
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
