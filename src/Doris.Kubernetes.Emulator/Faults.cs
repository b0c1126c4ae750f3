using System.Collections.Concurrent;

namespace Doris.Kubernetes.Emulator;

/// <summary>
/// Public fault switches for tests and benchmarks: fail the next N requests of a verb with a status code, delay
/// every response, break every open watch the way networks and servers break them. (Closing watches cleanly and
/// expiring resource versions are on the store; a restart is on the server.)
/// </summary>
public sealed class Faults
{
    private readonly ConcurrentDictionary<string, (int Remaining, int Code, TimeSpan? RetryAfter)> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private CancellationTokenSource _watchBreak = new();
    private WatchBreak _lastBreak;

    public TimeSpan Delay { get; set; }

    /// <param name="verb">An HTTP method (GET, POST, PUT, PATCH, DELETE), WATCH for watch requests only, or * for any.</param>
    public void FailNext(string verb, int count, int code, TimeSpan? retryAfter = null) => _failures[verb] = (count, code, retryAfter);

    /// <summary>Breaks every watch open now: reset the connection (as an HTTP/2 RST_STREAM or a dead load balancer does) or write half an event and end.</summary>
    public void BreakWatches(WatchBreak how)
    {
        CancellationTokenSource fired;
        lock (_gate)
        {
            _lastBreak = how;
            fired = _watchBreak;
            _watchBreak = new CancellationTokenSource();
        }

        fired.Cancel();
        fired.Dispose();
    }

    /// <summary>Cancelled when <see cref="BreakWatches"/> is called; a watch links to the token current when it opened.</summary>
    internal CancellationToken WatchBreakToken
    {
        get
        {
            lock (_gate)
            {
                return _watchBreak.Token;
            }
        }
    }

    internal WatchBreak LastBreak
    {
        get
        {
            lock (_gate)
            {
                return _lastBreak;
            }
        }
    }

    internal (int Code, TimeSpan? RetryAfter)? Take(string method, bool watch)
    {
        foreach (var verb in watch ? new[] { "WATCH", method, "*" } : [method, "*"])
        {
            while (_failures.TryGetValue(verb, out var f) && f.Remaining > 0)
            {
                if (_failures.TryUpdate(verb, (f.Remaining - 1, f.Code, f.RetryAfter), f))
                {
                    return (f.Code, f.RetryAfter);
                }
            }
        }

        return null;
    }
}

/// <summary>How <see cref="Faults.BreakWatches"/> ends the open watches.</summary>
public enum WatchBreak
{
    /// <summary>The connection is reset mid-stream: the client sees an I/O error.</summary>
    Reset,

    /// <summary>Half of an event is written and the stream ends: the client sees a line it cannot decode.</summary>
    Corrupt,
}
