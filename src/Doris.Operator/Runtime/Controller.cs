namespace Doris.Operator.Runtime;

/// <summary>
/// Runs reconciles with several workers; the queue guarantees one reconcile per key at a time. A failure is
/// retried with back-off; a success resets the key's back-off and honours a requested re-check.
/// </summary>
public sealed class Controller<TKey>(WorkQueue<TKey> queue, IReconciler<TKey> reconciler, int workers = 4)
    where TKey : notnull
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, (TKey Key, long Started)> _running = new();
    private long _nextRun;
    private long _reconciles;
    private long _errors;
    private int _inFlight;

    /// <summary>Reconciles running right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public long Reconciles => Interlocked.Read(ref _reconciles);

    /// <summary>The reconcile that has been running longest and for how long (wall clock), or null when none runs: for /healthz.</summary>
    public (TKey Key, TimeSpan For)? LongestRunning()
    {
        (TKey Key, long Started)? oldest = null;
        foreach (var run in _running.Values)
        {
            if (oldest is null || run.Started < oldest.Value.Started)
            {
                oldest = run;
            }
        }

        return oldest is { } o ? (o.Key, System.Diagnostics.Stopwatch.GetElapsedTime(o.Started)) : null;
    }

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Wall-clock reconcile durations (a Stopwatch, not the TimeProvider: this measures our work, not simulated time).</summary>
    public DurationHistogram Durations { get; } = new();

    /// <summary>Raised after each successful reconcile with its wall-clock duration (for debug logs).</summary>
    public event Action<TKey, TimeSpan>? Succeeded;

    /// <summary>Raised after each failed reconcile (for logs and metrics); never with the exception's secrets, only its message.</summary>
    public event Action<TKey, Exception>? Failed;

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, workers)).Select(_ => WorkAsync(cancellationToken)));

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TKey? key;
            try
            {
                key = await queue.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (key is null)
            {
                return; // shut down
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var run = Interlocked.Increment(ref _nextRun);
            _running[run] = (key, started);
            Interlocked.Increment(ref _inFlight);
            try
            {
                var result = await reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _reconciles);
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                Durations.Observe(elapsed);
                Succeeded?.Invoke(key, elapsed);
                queue.Forget(key);
                if (result.RequeueAfter is { } after)
                {
                    queue.AddAfter(key, after, result.Urgent ? WorkQueue<TKey>.Urgent : WorkQueue<TKey>.Requeue);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a reconcile failure of any kind is retried; the worker must survive it
            catch (Exception e)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _reconciles);
                Interlocked.Increment(ref _errors);
                Durations.Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started));
                Failed?.Invoke(key, e);
                queue.AddRateLimited(key);
            }
            finally
            {
                _running.TryRemove(run, out _);
                Interlocked.Decrement(ref _inFlight);
                queue.Done(key);
            }
        }
    }
}
