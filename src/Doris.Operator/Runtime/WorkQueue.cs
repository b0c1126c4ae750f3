namespace Doris.Operator.Runtime;

/// <summary>
/// The controller work queue: a key is queued at most once, handed to at most one worker at a time (a key
/// added while it is being processed is queued again when the worker is done), retried with per-key
/// exponential back-off, and all retries together are held to an overall rate.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly LinkedList<TKey> _queue = new();
    private readonly HashSet<TKey> _queued = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly HashSet<TKey> _dirty = [];
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly List<ITimer> _timers = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly TimeProvider _time;
    private readonly WorkQueueOptions _options;
    private double _tokens;
    private DateTimeOffset _lastRefill;
    private bool _shutDown;

    public WorkQueue(TimeProvider time, WorkQueueOptions? options = null)
    {
        _time = time;
        _options = options ?? new WorkQueueOptions();
        _tokens = _options.Burst;
        _lastRefill = time.GetUtcNow();
    }

    /// <summary>Keys waiting for a worker (a metric: queue depth).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public void Add(TKey key)
    {
        lock (_gate)
        {
            if (_shutDown || _queued.Contains(key))
            {
                return;
            }

            if (_processing.Contains(key))
            {
                _dirty.Add(key);
                return;
            }

            _queued.Add(key);
            _queue.AddLast(key);
        }

        _available.Release();
    }

    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_gate)
        {
            if (_shutDown)
            {
                return;
            }

            ITimer? timer = null;
            timer = _time.CreateTimer(_ => { Add(key); Release(timer); }, null, delay, Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
        }
    }

    /// <summary>Requeues after the key's next back-off (base × 2^failures, capped), never faster than the overall rate.</summary>
    public TimeSpan AddRateLimited(TKey key)
    {
        TimeSpan delay;
        lock (_gate)
        {
            var failures = _failures.GetValueOrDefault(key);
            _failures[key] = failures + 1;
            var perKey = TimeSpan.FromTicks((long)Math.Min(_options.MaxBackoff.Ticks, _options.BaseBackoff.Ticks * Math.Pow(2, Math.Min(failures, 40))));
            var overall = OverallDelay();
            delay = perKey > overall ? perKey : overall;
        }

        AddAfter(key, delay);
        return delay;
    }

    /// <summary>The key succeeded: its next failure starts the back-off from the beginning.</summary>
    public void Forget(TKey key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    public int Failures(TKey key)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Waits for a key; null once the queue is shut down and drained.</summary>
    public async Task<TKey?> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (_queue.First is { } first)
                {
                    _queue.RemoveFirst();
                    _queued.Remove(first.Value);
                    _processing.Add(first.Value);
                    return first.Value;
                }

                if (_shutDown)
                {
                    _available.Release(); // wake the next waiting worker too
                    return default;
                }
            }
        }
    }

    /// <summary>The worker is finished with the key; if it was added meanwhile, it is queued again now.</summary>
    public void Done(TKey key)
    {
        bool requeue;
        lock (_gate)
        {
            _processing.Remove(key);
            requeue = _dirty.Remove(key);
        }

        if (requeue)
        {
            Add(key);
        }
    }

    public void ShutDown()
    {
        lock (_gate)
        {
            _shutDown = true;
            foreach (var t in _timers)
            {
                t.Dispose();
            }

            _timers.Clear();
        }

        _available.Release();
    }

    public void Dispose()
    {
        ShutDown();
        _available.Dispose();
    }

    // Token bucket over all retries: each retry takes a token; without one, wait until one refills.
    private TimeSpan OverallDelay()
    {
        var now = _time.GetUtcNow();
        _tokens = Math.Min(_options.Burst, _tokens + ((now - _lastRefill).TotalSeconds * _options.Qps));
        _lastRefill = now;
        _tokens--;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _options.Qps);
    }

    private void Release(ITimer? timer)
    {
        lock (_gate)
        {
            if (timer is not null && _timers.Remove(timer))
            {
                timer.Dispose();
            }
        }
    }
}
