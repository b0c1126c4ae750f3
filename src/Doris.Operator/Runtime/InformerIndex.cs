using System.Collections.Concurrent;

namespace Doris.Operator.Runtime;

/// <summary>
/// A secondary index over an informer's cache: each object filed under one value (such as "namespace/cluster" for
/// pods), so a reconcile reads its own few objects instead of scanning every cached one, which at 1,000 clusters was a
/// tenth of the operator's CPU (bench/RESULTS.md). The informer calls <see cref="File"/> and <see cref="Unfile"/>
/// under its write lock, so writers never race; readers take no lock.
/// </summary>
internal sealed class InformerIndex<T>(Func<T, string?> valueOf)
    where T : class
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, T>> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _filedUnder = new(StringComparer.Ordinal);

    /// <summary>Files (or refiles) the object stored under <paramref name="key"/>; a null value files it under nothing.</summary>
    public void File(string key, T item)
    {
        var value = valueOf(item);
        if (_filedUnder.TryGetValue(key, out var was) && was != value)
        {
            Remove(key, was);
        }

        if (value is null)
        {
            _filedUnder.TryRemove(key, out _);
            return;
        }

        _filedUnder[key] = value;
        _buckets.GetOrAdd(value, _ => new ConcurrentDictionary<string, T>(StringComparer.Ordinal))[key] = item;
    }

    /// <summary>Takes the object stored under <paramref name="key"/> out of the index.</summary>
    public void Unfile(string key)
    {
        if (_filedUnder.TryRemove(key, out var was))
        {
            Remove(key, was);
        }
    }

    /// <summary>The objects filed under <paramref name="value"/>, in no particular order.</summary>
    public IReadOnlyCollection<T> Get(string value) =>
        _buckets.TryGetValue(value, out var bucket) ? (IReadOnlyCollection<T>)bucket.Values : [];

    private void Remove(string key, string value)
    {
        if (_buckets.TryGetValue(value, out var bucket) && bucket.TryRemove(key, out _) && bucket.IsEmpty)
        {
            _buckets.TryRemove(value, out _);
        }
    }
}
