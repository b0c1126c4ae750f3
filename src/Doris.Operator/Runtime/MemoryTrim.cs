namespace Doris.Operator.Runtime;

/// <summary>
/// What the garbage collector holds: committed from the OS at the last GC, live after the last GC, allocated so far,
/// and the heap now (live plus garbage allocated since the last GC, which is all there is before the first GC).
/// </summary>
public readonly record struct GcMemory(long Committed, long HeapAfterLastGc, long Allocated, long HeapNow = 0)
{
    /// <summary>Memory a compacting collection could give back: what the GC holds beyond the live heap.</summary>
    public long Gap => Math.Max(Committed, HeapNow) - HeapAfterLastGc;

    public static GcMemory Now()
    {
        var info = GC.GetGCMemoryInfo();
        return new GcMemory(info.TotalCommittedBytes, info.HeapSizeBytes, GC.GetTotalAllocatedBytes(), GC.GetTotalMemory(forceFullCollection: false));
    }
}

/// <summary>
/// Gives memory back after a burst of work. The GC sizes its young-generation budget from the CPU's cache and keeps
/// what a burst committed: measured at 1,000 clusters, 122 MiB committed for a 43 MiB heap (bench/RESULTS.md). Once
/// the operator is idle again (nothing queued, nothing running) and the gap is worth it, one aggressive, compacting
/// collection returns the free part to the OS. Bounded: at most once per interval and only after enough allocation
/// since the last trim, so an idle operator never collects in a loop.
/// </summary>
public sealed record MemoryTrimPolicy
{
    /// <summary>Committed but unused memory below this is left alone.</summary>
    public long MinimumGap { get; init; } = 32L * 1024 * 1024;

    /// <summary>Allocation since the last trim below this means nothing new to give back.</summary>
    public long MinimumAllocatedSince { get; init; } = 64L * 1024 * 1024;

    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The gap worth a trim the first time the operator is idle after start-up. Start-up (every informer's first list,
    /// decoded; TLS; the first reconciles) leaves garbage in the young generation, and an idle operator allocates so
    /// little that no collection would come for hours: measured native, that was a third of the idle resident set.
    /// </summary>
    public long FirstMinimumGap { get; init; } = 4L * 1024 * 1024;

    public bool ShouldTrim(bool idle, GcMemory now, GcMemory? last, DateTimeOffset at, DateTimeOffset? lastAt) =>
        idle
        && now.Gap >= (last is null ? Math.Min(FirstMinimumGap, MinimumGap) : MinimumGap)
        && (last is not { } previous || now.Allocated - previous.Allocated >= MinimumAllocatedSince)
        && (lastAt is not { } then || at - then >= Interval);
}

/// <summary>Checks now and then whether to trim, and does (see <see cref="MemoryTrimPolicy"/>).</summary>
public sealed class MemoryTrimmer(MemoryTrimPolicy policy, Func<bool> idle, TimeProvider time, Func<GcMemory>? probe = null, Action? collect = null)
{
    private readonly Func<GcMemory> _probe = probe ?? GcMemory.Now;
    private readonly Action _collect = collect ?? (() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true));
    private GcMemory? _last;
    private DateTimeOffset? _lastAt;
    private long _trims;

    public long Trims => Interlocked.Read(ref _trims);

    /// <summary>One check; true when it trimmed.</summary>
    public bool Check()
    {
        var now = _probe();
        var at = time.GetUtcNow();
        if (!policy.ShouldTrim(idle(), now, _last, at, _lastAt))
        {
            return false;
        }

        _collect();
        // The start-up trim is small and starts no interval: a burst of work right after start-up (a thousand
        // clusters created at once) is given back at the next idle check, not a minute later.
        (_last, _lastAt) = (_probe(), _last is null ? null : at);
        Interlocked.Increment(ref _trims);
        return true;
    }

    /// <param name="first">The first check, soon after start-up, when the start-up trim is due.</param>
    public async Task RunAsync(TimeSpan first, TimeSpan every, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(first, time, cancellationToken).ConfigureAwait(false);
            Check();
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(every, time, cancellationToken).ConfigureAwait(false);
                Check();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
