using System.Collections.Concurrent;
using Doris.Operator.Runtime;

namespace Doris.Operator.Nodes;

/// <summary>One member taken off a draining node: how long from the signal to "the FE no longer uses it".</summary>
public sealed record DrainRecord(string Cluster, string Pod, string Node, string Signal, TimeSpan Took, TimeSpan? Budget, bool Finished)
{
    /// <summary>
    /// The same span on the machine's monotonic clock. It equals <see cref="Took"/> in a real cluster; on simulated
    /// time, where the clock stands still while the operator works, it is the operator's own reaction time.
    /// </summary>
    public TimeSpan Wall { get; init; }

    /// <summary>Finished before the deadline (a Spot interruption gives two minutes; other signals have none).</summary>
    public bool InBudget => Finished && (Budget is not { } b || Took <= b);
}

/// <summary>
/// When each pod's drain signal was first seen and how each drain ended, across reconciles and leadership terms,
/// for the drain-duration histogram, the Events and the chaos benchmark's figures.
/// </summary>
public sealed class DrainLog
{
    /// <summary>What EC2 gives between the Spot interruption notice and the reclaim.</summary>
    public static readonly TimeSpan SpotNotice = TimeSpan.FromMinutes(2);

    /// <summary>Drains kept individually (the chaos run has about 200 a day); older ones live on in the histogram.</summary>
    public const int MaxRecords = 10_000;

    private long _missed;

    private static readonly double[] Bounds = [0.5, 1, 2, 5, 10, 30, 60, 90, 120, 300];
    private readonly ConcurrentDictionary<string, (DateTimeOffset Since, long Started, string Signal, string Cluster, string Pod, string Node)> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<DrainRecord> _records = new();

    public DurationHistogram Durations { get; } = new(Bounds);

    public IReadOnlyList<DrainRecord> Records => [.. _records];

    /// <summary>Drains that did not finish, or finished after a Spot notice ran out, since start.</summary>
    public long Missed => Interlocked.Read(ref _missed);

    /// <summary>Records the first sighting of a signal for a pod (by uid), dated from when the signal was given; later sightings keep the first.</summary>
    public DateTimeOffset Seen(string podUid, string cluster, string pod, string node, string signal, DateTimeOffset since) =>
        _open.GetOrAdd(podUid, _ => (since, System.Diagnostics.Stopwatch.GetTimestamp(), signal, cluster, pod, node)).Since;

    public bool IsOpen(string podUid) => _open.ContainsKey(podUid);

    /// <summary>The monotonic timestamp (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>) of the reconcile that first acted on the pod's open drain, or null.</summary>
    public long? OpenedAt(string podUid) => _open.TryGetValue(podUid, out var open) ? open.Started : null;

    /// <summary>Closes a pod's drain; returns the record, or null when it was not open.</summary>
    public DrainRecord? Close(string podUid, DateTimeOffset now, bool finished)
    {
        if (!_open.TryRemove(podUid, out var open))
        {
            return null;
        }

        var record = new DrainRecord(open.Cluster, open.Pod, open.Node, open.Signal, now - open.Since, open.Signal.StartsWith("Spot interruption", StringComparison.Ordinal) ? SpotNotice : null, finished)
        {
            Wall = System.Diagnostics.Stopwatch.GetElapsedTime(open.Started),
        };
        _records.Enqueue(record);
        while (_records.Count > MaxRecords && _records.TryDequeue(out _))
        {
            // Only the recent drains are kept one by one; the histogram and counters keep the totals.
        }

        if (finished)
        {
            Durations.Observe(record.Took);
        }

        if (!record.InBudget)
        {
            Interlocked.Increment(ref _missed);
        }

        return record;
    }

    /// <summary>Open drains of a cluster whose pods are gone: the node went before the member could be taken off.</summary>
    public IReadOnlyList<string> OpenFor(string cluster) => [.. _open.Where(kv => kv.Value.Cluster == cluster).Select(kv => kv.Key)];
}
