using System.Collections.Concurrent;

namespace Doris.Kubernetes.Emulator.Storage;

/// <summary>
/// What simulated containers printed, as a kubelet keeps it for <c>kubectl logs</c>: lines per container of a pod,
/// the newest <see cref="MaxLines"/> kept, gone when the pod is gone. The simulation writes here; the API serves it.
/// </summary>
public sealed class PodLogs
{
    public const int MaxLines = 5000;

    private readonly ConcurrentDictionary<string, Queue<LogLine>> _lines = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>One printed line; <paramref name="Sequence"/> grows with every line, so a follower knows what it has sent.</summary>
    public readonly record struct LogLine(long Sequence, DateTimeOffset Time, string Text);

    public void Append(string ns, string pod, string container, DateTimeOffset time, string line)
    {
        var lines = _lines.GetOrAdd(Key(ns, pod, container), _ => new Queue<LogLine>());
        lock (lines)
        {
            lines.Enqueue(new LogLine(Interlocked.Increment(ref _sequence), time, line));
            while (lines.Count > MaxLines)
            {
                lines.Dequeue();
            }
        }
    }

    public IReadOnlyList<LogLine> Read(string ns, string pod, string container)
    {
        if (!_lines.TryGetValue(Key(ns, pod, container), out var lines))
        {
            return [];
        }

        lock (lines)
        {
            return [.. lines];
        }
    }

    public void Forget(string ns, string pod)
    {
        var prefix = ns + "/" + pod + "/";
        foreach (var key in _lines.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            _lines.TryRemove(key, out _);
        }
    }

    private static string Key(string ns, string pod, string container) => $"{ns}/{pod}/{container}";
}
