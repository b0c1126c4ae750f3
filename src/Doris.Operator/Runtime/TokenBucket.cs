namespace Doris.Operator.Runtime;

/// <summary>A token bucket on a <see cref="TimeProvider"/>; not thread-safe (the work queue holds its lock around it).</summary>
internal sealed class TokenBucket(double rate, int burst, DateTimeOffset now)
{
    private double _tokens = burst;
    private DateTimeOffset _last = now;

    public bool Full => _tokens >= burst;

    /// <summary>Takes a token; returns how long to wait for it (zero when one was in hand). The token is spent either way.</summary>
    public TimeSpan Take(DateTimeOffset now)
    {
        Refill(now);
        _tokens--;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / rate);
    }

    public void Refill(DateTimeOffset now)
    {
        if (now > _last)
        {
            _tokens = Math.Min(burst, _tokens + ((now - _last).TotalSeconds * rate));
            _last = now;
        }
    }
}
