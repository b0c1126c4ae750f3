using System.Collections.Concurrent;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Runtime;

/// <summary>
/// A local copy of one kind, kept current by list+watch (filtered by label so it holds only what the operator
/// manages). Reconciles read from it instead of the API server; every change is announced so the owner can be
/// queued. A failed list or watch is retried with capped back-off, so the operator outlives API server restarts
/// and a CRD that is not installed yet.
/// </summary>
/// <param name="keep">False: announce changes but store nothing (for kinds watched only to trigger reconciles).</param>
public sealed class Informer<T>(ResourceClient<T> client, string? ns, TimeProvider time, string? labelSelector = null, bool keep = true)
    where T : class, IKubernetesObject
{
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised after the cache took in a change (added, modified, deleted, or seen again on a relist).</summary>
    public event Action<T>? Changed;

    /// <summary>Raised when a list or watch failed and is about to be retried.</summary>
    public event Action<Exception>? Failed;

    public int Count => _items.Count;

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Completes after the first full list is in the cache.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public T? Get(string? ns2, string name) => _items.GetValueOrDefault(Key(ns2, name));

    public IEnumerable<T> List(string? inNamespace = null) =>
        inNamespace is null ? _items.Values : _items.Values.Where(o => o.Metadata?.Namespace == inNamespace);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var watcher = new ListWatcher<T>(client, ns, labelSelector);
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var update in watcher.RunAsync(cancellationToken).ConfigureAwait(false))
                {
                    backoff = TimeSpan.FromMilliseconds(250);
                    if (update.Relisted)
                    {
                        Replace(update.Items);
                        _synced.TrySetResult();
                    }
                    else
                    {
                        Apply(update.Event!);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException e)
            {
                Failed?.Invoke(e);
                try
                {
                    await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private void Replace(IReadOnlyList<T> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var key = Key(item);
            seen.Add(key);
            if (keep)
            {
                _items[key] = item;
            }

            Changed?.Invoke(item);
        }

        foreach (var (key, gone) in _items.Where(kv => !seen.Contains(kv.Key)).ToList())
        {
            _items.TryRemove(key, out _);
            Changed?.Invoke(gone);
        }
    }

    private void Apply(WatchEvent<T> e)
    {
        var key = Key(e.Object);
        if (e.Type == "DELETED")
        {
            _items.TryRemove(key, out _);
        }
        else if (keep)
        {
            _items[key] = e.Object;
        }

        Changed?.Invoke(e.Object);
    }

    private static string Key(T obj) => Key(obj.Metadata?.Namespace, obj.Metadata?.Name ?? string.Empty);

    private static string Key(string? ns, string name) => $"{ns}/{name}";
}
