using System.Collections.Concurrent;

namespace Doris.Kubernetes.Emulator;

/// <summary>
/// Public fault switches for tests and benchmarks: fail the next N requests of a verb with a status code,
/// delay every response. (Dropping watches and expiring resource versions are on the store.)
/// </summary>
public sealed class Faults
{
    private readonly ConcurrentDictionary<string, (int Remaining, int Code, TimeSpan? RetryAfter)> _failures = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan Delay { get; set; }

    /// <param name="verb">An HTTP method (GET, POST, PUT, PATCH, DELETE) or * for any.</param>
    public void FailNext(string verb, int count, int code, TimeSpan? retryAfter = null) => _failures[verb] = (count, code, retryAfter);

    internal (int Code, TimeSpan? RetryAfter)? Take(string method)
    {
        foreach (var verb in new[] { method, "*" })
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
