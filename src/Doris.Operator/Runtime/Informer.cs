using System.Collections.Concurrent;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Runtime;

/// <summary>
/// A local copy of one kind, kept current by list+watch (filtered by label so it holds only what the operator
/// manages). Reconciles read from it instead of the API server; every change is announced so the owner can be
/// queued. It never stops while the process runs: a watch the server ends is resumed from the last version at
/// once, any failure (unreachable server, 5xx, reset or garbled stream, a resource not served) is retried with
/// capped, jittered back-off, and an object that does not decode is left out, named and reported instead of
/// failing the cache. How long it has been without a working watch is there for /readyz.
/// </summary>
/// <param name="keep">False: announce changes but store nothing (for kinds watched only to trigger reconciles).</param>
/// <param name="lean">Applied to every object before it is cached or handed on (the operator drops managedFields,
/// which nothing reads and which can double a pod's size in memory).</param>
public sealed class Informer<T>(ResourceClient<T> client, string? ns, TimeProvider time, string? labelSelector = null, bool keep = true, InformerOptions? options = null, Func<T, T>? lean = null) : IInformerHealth
    where T : class, IKubernetesObject
{
    private readonly InformerOptions _options = options ?? new InformerOptions();
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UndecodableObject> _undecodable = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _restarts = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DateTimeOffset _created = time.GetUtcNow();
    private long _decodeFailures;
    private long _lastEventTicks;
    private long _lastWorkingTicks;
    private volatile bool _watching;
    private volatile string _state = "starting";
    private volatile bool _busy = true;

    /// <summary>Raised after the cache took in a change (added, modified, deleted, or seen again on a relist).</summary>
    public event Action<T>? Changed;

    /// <summary>Raised when a list or watch failed and is about to be retried.</summary>
    public event Action<Exception>? Failed;

    /// <summary>Raised once per version of an object that does not decode (it is left out of the cache).</summary>
    public event Action<UndecodableObject>? Undecodable;

    /// <summary>Raised when an object that did not decode decodes again (it is back in the cache).</summary>
    public event Action<UndecodableObject>? Recovered;

    /// <summary>The resource plural, or the label given (two informers of one kind with other selectors need distinct names in metrics).</summary>
    public string Resource => Label ?? client.Resource.Plural;

    public string? Label { get; init; }

    public string State => _state;

    /// <summary>
    /// A list or a watch request is on its way (real I/O, not a wait on the clock): a driver of simulated time
    /// waits for this to finish before moving the clock, so time does not run ahead of a reconnecting informer.
    /// </summary>
    public bool Busy => _busy;

    public int Count => _items.Count;

    /// <summary>
    /// Which objects are stored (all when unset): a kind the operator must watch whole but needs only a few of,
    /// such as the ConfigMaps clusters name, keeps just those. Checked on every event.
    /// </summary>
    public Func<T, bool>? KeepWhen { get; init; }

    // Keys deleted lately, so an object read by GET just before its deletion is not adopted after it.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _deleted = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes in an object read by GET that the cache does not hold (it was not wanted when its last event came):
    /// from then on its watch events keep it current. Refused when the cache already has the key (the watch's copy
    /// is as new or newer), when the key was deleted lately, or when it is not wanted.
    /// </summary>
    public bool Adopt(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var key = Key(item);
        if (!keep || _deleted.ContainsKey(key) || !(KeepWhen?.Invoke(item) ?? true))
        {
            return false;
        }

        lock (_writeGate)
        {
            if (_items.ContainsKey(key))
            {
                return false;
            }

            Put(key, lean is null ? item : lean(item));
            return true;
        }
    }

    private bool Wanted(T item) => keep && (KeepWhen?.Invoke(item) ?? true);

    private void Forget(string key)
    {
        Drop(key, out _);
        var now = time.GetUtcNow();
        _deleted[key] = now;
        if (_deleted.Count > 1024)
        {
            foreach (var (old, at) in _deleted.Where(kv => now - kv.Value > TimeSpan.FromMinutes(5)).ToList())
            {
                _deleted.TryRemove(old, out _);
            }
        }
    }

    public bool HasSynced => _synced.Task.IsCompleted;

    public DateTimeOffset? LastEventAt => Interlocked.Read(ref _lastEventTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public IReadOnlyDictionary<string, long> WatchRestarts => _restarts;

    public long DecodeFailures => Interlocked.Read(ref _decodeFailures);

    IReadOnlyCollection<UndecodableObject> IInformerHealth.Undecodable => [.. _undecodable.Values];

    public TimeSpan WithoutWatch(DateTimeOffset now)
    {
        if (_watching)
        {
            return TimeSpan.Zero;
        }

        var last = Interlocked.Read(ref _lastWorkingTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : _created;
        return now > last ? now - last : TimeSpan.Zero;
    }

    /// <summary>Completes after the first full list is in the cache.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public T? Get(string? ns2, string name) => _items.GetValueOrDefault(Key(ns2, name));

    /// <summary>
    /// A secondary index (unset: none): the value each object is filed under, such as "namespace/cluster" for pods
    /// (<see cref="InformerIndex{T}"/> says why). Null files the object under nothing.
    /// </summary>
    public Func<T, string?>? IndexBy
    {
        get => _indexBy;
        init
        {
            _indexBy = value;
            _index = value is null ? null : new InformerIndex<T>(value);
        }
    }

    /// <summary>The cached objects filed under <paramref name="value"/> by <see cref="IndexBy"/>, in no particular order.</summary>
    public IReadOnlyCollection<T> Indexed(string value) =>
        _index?.Get(value) ?? throw new InvalidOperationException($"the {Resource} informer has no index");

    // Every change to the cache goes through Put and Drop, under one lock (the watch loop and Adopt both write), so
    // the index never disagrees with the cache; readers take no lock.
    private readonly Lock _writeGate = new();
    private readonly Func<T, string?>? _indexBy;
    private readonly InformerIndex<T>? _index;

    private void Put(string key, T item)
    {
        lock (_writeGate)
        {
            _items[key] = item;
            _index?.File(key, item);
        }
    }

    private bool Drop(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T removed)
    {
        lock (_writeGate)
        {
            _index?.Unfile(key);
            return _items.TryRemove(key, out removed);
        }
    }

    public IEnumerable<T> List(string? inNamespace = null) =>
        inNamespace is null ? _items.Values : _items.Values.Where(o => o.Metadata?.Namespace == inNamespace);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var watcher = new ListWatcher<T>(client, ns, labelSelector, _options.MinWatchTimeout);
        var backoff = _options.InitialBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            long? opened = null;
            var delivered = false;
            string? failure = null;
            Exception? error = null;
            _state = "listing or opening a watch";
            _busy = true;
            try
            {
                await foreach (var update in watcher.RunAsync(cancellationToken).ConfigureAwait(false))
                {
                    switch (update.Kind)
                    {
                        case ListWatchUpdateKind.Relisted:
                            Replace(update.Items, update.Undecodable);
                            if (!update.NotServed)
                            {
                                Stamp(ref _lastEventTicks);
                                _synced.TrySetResult();
                            }

                            break;
                        case ListWatchUpdateKind.Watching:
                            opened = time.GetTimestamp();
                            delivered = false;
                            _watching = true;
                            _busy = false;
                            _state = $"watching since {time.GetUtcNow():HH:mm:ss}";
                            Stamp(ref _lastWorkingTicks);
                            break;
                        case ListWatchUpdateKind.Event:
                            delivered = true;
                            Stamp(ref _lastEventTicks);
                            Apply(update.Event!);
                            break;
                        case ListWatchUpdateKind.Bookmark:
                            delivered = true;
                            Stamp(ref _lastEventTicks);
                            break;
                        case ListWatchUpdateKind.Undecodable:
                            delivered = true;
                            Stamp(ref _lastEventTicks);
                            Skip(update.Undecodable[0], update.UndecodableType == "DELETED");
                            break;
                        case ListWatchUpdateKind.WatchEnded:
                            _watching = false;
                            _state = $"watch ended ({update.EndReason}), resuming";
                            _busy = true;
                            Stamp(ref _lastWorkingTicks);
                            CountRestart(update.EndReason ?? "closed");

                            // A watch that ends at once with nothing in it is a server refusing to watch, not a timeout:
                            // going straight back would spin, so it backs off like an error.
                            var quick = !Worked(opened, delivered);
                            if (quick)
                            {
                                await PauseAsync(backoff, cancellationToken).ConfigureAwait(false);
                                backoff = Next(backoff);
                            }
                            else
                            {
                                backoff = _options.InitialBackoff;
                            }

                            break;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException e)
            {
                (failure, error) = (e.IsNotFound ? "not-served" : e.Reason switch
                {
                    "StreamBroken" => "broken",
                    "StreamUndecodable" or "ListUndecodable" => "garbled",
                    _ => "error",
                }, e);
            }
#pragma warning disable CA1031 // nothing may end the informer while the process runs: the next attempt is the handling
            catch (Exception e)
#pragma warning restore CA1031
            {
                (failure, error) = ("unexpected", e);
            }

            _watching = false;
            if (failure is null)
            {
                continue;
            }

            CountRestart(failure);
            _state = $"backing off after {failure}: {error!.Message}";
            Failed?.Invoke(error);
            if (Worked(opened, delivered))
            {
                backoff = _options.InitialBackoff; // it was working until just now: come back quickly
            }

            if (!await PauseAsync(backoff, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            backoff = Next(backoff);
        }
    }

    private async Task<bool> PauseAsync(TimeSpan backoff, CancellationToken cancellationToken)
    {
        _busy = false;
        // Jitter: informers (and operators) that failed together must not all come back in the same instant.
        var delay = TimeSpan.FromTicks((long)(backoff.Ticks * (0.5 + Random.Shared.NextDouble())));
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // A watch worked if it brought something or stayed open a while (on the informer's clock, so simulated time
    // judges it as the real clock would).
    private bool Worked(long? opened, bool delivered) => delivered || opened is { } at && time.GetElapsedTime(at) >= TimeSpan.FromSeconds(1);

    private TimeSpan Next(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));

    private void CountRestart(string reason) => _restarts.AddOrUpdate(reason, 1, (_, n) => n + 1);

    private void Stamp(ref long ticks) => Interlocked.Exchange(ref ticks, time.GetUtcNow().UtcTicks);

    private void Replace(IReadOnlyList<T> items, IReadOnlyList<UndecodableObject> undecodable)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listed in items)
        {
            var item = lean is null ? listed : lean(listed);
            var key = Key(item);
            seen.Add(key);
            Decoded(key);
            if (Wanted(item))
            {
                Put(key, item);
            }
            else
            {
                Drop(key, out _);
            }

            Changed?.Invoke(item);
        }

        foreach (var bad in undecodable)
        {
            seen.Add(bad.Key);
            Skip(bad, deleted: false);
        }

        foreach (var key in _undecodable.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _undecodable.TryRemove(key, out _); // gone from the server while it did not decode
        }

        foreach (var (key, gone) in _items.Where(kv => !seen.Contains(kv.Key)).ToList())
        {
            Forget(key);
            Changed?.Invoke(gone);
        }
    }

    private void Apply(WatchEvent<T> e)
    {
        if (lean is not null)
        {
            e = e with { Object = lean(e.Object) };
        }

        var key = Key(e.Object);
        Decoded(key);
        if (e.Type == "DELETED")
        {
            Forget(key);
        }
        else if (Wanted(e.Object))
        {
            Put(key, e.Object);
        }
        else
        {
            Drop(key, out _);
        }

        Changed?.Invoke(e.Object);
    }

    // An object that no longer decodes is taken out of the cache: acting on its last good version would apply a
    // spec the user has since changed. Its owner is told (Changed with the old copy) so it can stand down.
    private void Skip(UndecodableObject bad, bool deleted)
    {
        if (deleted)
        {
            _undecodable.TryRemove(bad.Key, out _);
        }
        else
        {
            var known = _undecodable.TryGetValue(bad.Key, out var before) && before.ResourceVersion == bad.ResourceVersion;
            _undecodable[bad.Key] = bad;
            if (!known)
            {
                Interlocked.Increment(ref _decodeFailures);
                Undecodable?.Invoke(bad);
            }
        }

        if (Drop(bad.Key, out var stale))
        {
            Changed?.Invoke(stale);
        }
    }

    private void Decoded(string key)
    {
        if (_undecodable.TryRemove(key, out var was))
        {
            Recovered?.Invoke(was);
        }
    }

    private static string Key(T obj) => Key(obj.Metadata?.Namespace, obj.Metadata?.Name ?? string.Empty);

    private static string Key(string? ns, string name) => $"{ns}/{name}";
}
