namespace Doris.Operator.Runtime;

/// <summary>
/// The controller work queue: a key is queued at most once (events for a queued key merge), handed to at most one
/// worker at a time (a key added while it is being processed is queued again when the worker is done), retried with
/// per-key exponential back-off, and all retries together are held to an overall rate. A key has at most one
/// pending timer: a later delayed add keeps the earlier one, so requeues can never pile up. How often a key, and
/// all keys together, may enter the queue is limited; a key over its limit waits on its timer instead. Each queued
/// key remembers why it was queued (event, requeue, retry, resync, throttled, urgent), for the depth metric.
/// Urgent keys (a node about to be taken away under a cluster's pods) form a lane at the front: they pass every
/// other queued key and every rate limit, in the order they became urgent, so a Spot drain never waits behind a
/// burst of ordinary work.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    public const string Event = "event";
    public const string Requeue = "requeue";
    public const string Retry = "retry";
    public const string Resync = "resync";
    public const string Throttled = "throttled";
    public const string Urgent = "urgent";

    private readonly Lock _gate = new();
    private readonly LinkedList<TKey> _queue = new();
    private readonly Dictionary<TKey, string> _queued = [];
    private readonly Dictionary<TKey, LinkedListNode<TKey>> _positions = [];
    private LinkedListNode<TKey>? _lastUrgent;
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, string> _dirty = [];
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Dictionary<TKey, (ITimer Timer, DateTimeOffset Due, string Reason, object Token)> _timers = [];
    private readonly Dictionary<TKey, TokenBucket> _perKey = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly TimeProvider _time;
    private readonly WorkQueueOptions _options;
    private readonly TokenBucket _retries;
    private readonly TokenBucket _overall;
    private bool _shutDown;
    private long _entries;

    public WorkQueue(TimeProvider time, WorkQueueOptions? options = null)
    {
        _time = time;
        _options = options ?? new WorkQueueOptions();
        _retries = new TokenBucket(_options.Qps, _options.Burst, time.GetUtcNow());
        _overall = new TokenBucket(_options.OverallQps, _options.OverallBurst, time.GetUtcNow());
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

    /// <summary>Keys waiting for a worker, by why they were queued.</summary>
    public IReadOnlyDictionary<string, int> Depth()
    {
        lock (_gate)
        {
            return _queued.Values.GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
    }

    /// <summary>Keys waiting on a timer, by why (at most one timer per key).</summary>
    public IReadOnlyDictionary<string, int> Waiting()
    {
        lock (_gate)
        {
            return _timers.Values.GroupBy(t => t.Reason, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
    }

    /// <summary>Pending timers (never more than the number of keys).</summary>
    public int Timers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    /// <summary>When the key's one timer is due, or null without one (diagnostics).</summary>
    public DateTimeOffset? Due(TKey key)
    {
        lock (_gate)
        {
            return _timers.TryGetValue(key, out var t) ? t.Due : null;
        }
    }

    public void Add(TKey key) => Add(key, Event);

    public void Add(TKey key, string reason)
    {
        bool released;
        lock (_gate)
        {
            released = reason == Urgent ? EnterUrgent(key) : Enter(key, reason, limited: true);
        }

        if (released)
        {
            _available.Release();
        }
    }

    /// <summary>
    /// Queues the key in the urgent lane: ahead of every ordinary key, past the rate limits. A key already queued
    /// moves up; a key being processed is queued urgently again when its worker is done.
    /// </summary>
    public void AddUrgent(TKey key) => Add(key, Urgent);

    public void AddAfter(TKey key, TimeSpan delay) => AddAfter(key, delay, Requeue);

    /// <summary>Queues the key after a delay; if it already has a timer, the earlier of the two stands.</summary>
    public void AddAfter(TKey key, TimeSpan delay, string reason)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key, reason);
            return;
        }

        lock (_gate)
        {
            Schedule(key, delay, reason);
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
            var overall = _retries.Take(_time.GetUtcNow());
            delay = perKey > overall ? perKey : overall;
        }

        AddAfter(key, delay, Retry);
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
                    if (ReferenceEquals(first, _lastUrgent))
                    {
                        _lastUrgent = null;
                    }

                    _queue.RemoveFirst();
                    _positions.Remove(first.Value);
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
        bool released = false;
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Remove(key, out var reason))
            {
                released = reason == Urgent ? EnterUrgent(key) : Enter(key, reason, limited: true);
            }
        }

        if (released)
        {
            _available.Release();
        }
    }

    public void ShutDown()
    {
        lock (_gate)
        {
            _shutDown = true;
            foreach (var (timer, _, _, _) in _timers.Values)
            {
                timer.Dispose();
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

    // Under the lock. True when the key went into the ready queue (the caller releases a worker).
    private bool Enter(TKey key, string reason, bool limited)
    {
        if (_shutDown || _queued.ContainsKey(key))
        {
            return false; // merged with the queued one
        }

        if (_processing.Contains(key))
        {
            _dirty.TryAdd(key, reason);
            return false;
        }

        if (limited)
        {
            var now = _time.GetUtcNow();
            if (!_perKey.TryGetValue(key, out var bucket))
            {
                _perKey[key] = bucket = new TokenBucket(_options.PerKeyQps, _options.PerKeyBurst, now);
            }

            var wait = bucket.Take(now);
            var overall = _overall.Take(now);
            if (overall > wait)
            {
                wait = overall;
            }

            if (wait > TimeSpan.Zero)
            {
                Schedule(key, wait, Throttled, afterLimit: true);
                return false;
            }
        }

        _queued[key] = reason;
        _positions[key] = _queue.AddLast(key);
        PruneBuckets();
        return true;
    }

    // Under the lock. True when the key went into the ready queue (the caller releases a worker).
    private bool EnterUrgent(TKey key)
    {
        if (_shutDown)
        {
            return false;
        }

        if (_processing.Contains(key))
        {
            _dirty[key] = Urgent;
            return false;
        }

        var released = true;
        if (_positions.Remove(key, out var queued))
        {
            if (_queued[key] == Urgent)
            {
                _positions[key] = queued;
                return false; // already in the lane
            }

            _queue.Remove(queued);
            released = false; // it already holds a worker's release
        }

        _queued[key] = Urgent;
        _positions[key] = _lastUrgent is null ? _queue.AddFirst(key) : _queue.AddAfter(_lastUrgent, key);
        _lastUrgent = _positions[key];
        return released;
    }

    // Under the lock. One timer per key: the earlier due time wins.
    private void Schedule(TKey key, TimeSpan delay, string reason, bool afterLimit = false)
    {
        if (_shutDown)
        {
            return;
        }

        var due = _time.GetUtcNow() + delay;
        if (_timers.TryGetValue(key, out var existing))
        {
            if (existing.Due <= due)
            {
                return;
            }

            existing.Timer.Dispose();
        }

        // The token, not the timer, identifies this schedule: the callback may run before CreateTimer returns.
        var token = new object();
        var timer = _time.CreateTimer(_ => Fire(key, token, reason, afterLimit), null, delay, Timeout.InfiniteTimeSpan);
        _timers[key] = (timer, due, reason, token);
    }

    private void Fire(TKey key, object token, string reason, bool afterLimit)
    {
        bool released;
        lock (_gate)
        {
            if (!_timers.TryGetValue(key, out var current) || !ReferenceEquals(current.Token, token))
            {
                return; // replaced by an earlier timer, or shut down
            }

            _timers.Remove(key);
            current.Timer.Dispose();

            // A key that waited out its limit already paid for its turn; anything else takes its turn now.
            released = reason == Urgent ? EnterUrgent(key) : Enter(key, reason, limited: !afterLimit);
        }

        if (released)
        {
            _available.Release();
        }
    }

    // Buckets that have refilled belong to keys that are quiet; dropping them keeps memory to the busy keys.
    private void PruneBuckets()
    {
        // Only now and then: a scan per entry would make a queue of many keys quadratic.
        if (_perKey.Count < 1024 || ++_entries % 1024 != 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var (key, bucket) in _perKey.ToList())
        {
            bucket.Refill(now);
            if (bucket.Full && !_queued.ContainsKey(key) && !_processing.Contains(key))
            {
                _perKey.Remove(key);
            }
        }
    }
}
