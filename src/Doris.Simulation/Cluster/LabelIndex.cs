namespace Doris.Simulation.Cluster;

/// <summary>
/// Objects indexed by namespace and by each of their labels, so a matchLabels selector looks only at the objects
/// carrying its rarest pair instead of at every object: with a thousand clusters in one namespace, one budget's
/// pods are found among its own cluster's pods, which keeps a simulation step linear in the number of objects.
/// </summary>
internal sealed class LabelIndex<T>
{
    private readonly Dictionary<(string Namespace, string Key, string Value), List<T>> _byLabel = [];
    private readonly Dictionary<string, List<T>> _byNamespace = new(StringComparer.Ordinal);
    private readonly Func<T, string?> _namespace;
    private readonly Func<T, IReadOnlyDictionary<string, string>?> _labels;

    public LabelIndex(IEnumerable<T> items, Func<T, string?> ns, Func<T, IReadOnlyDictionary<string, string>?> labels)
    {
        _namespace = ns;
        _labels = labels;
        foreach (var item in items)
        {
            Add(item);
        }
    }

    public void Add(T item)
    {
        var ns = _namespace(item) ?? string.Empty;
        Bucket(_byNamespace, ns).Add(item);
        foreach (var (key, value) in _labels(item) ?? new Dictionary<string, string>())
        {
            Bucket(_byLabel, (ns, key, value)).Add(item);
        }
    }

    /// <summary>The objects in <paramref name="ns"/> whose labels hold every pair of <paramref name="selector"/> (all of them for an empty one).</summary>
    public IEnumerable<T> Matching(string? ns, IReadOnlyDictionary<string, string>? selector)
    {
        ns ??= string.Empty;
        if (selector is null || selector.Count == 0)
        {
            return _byNamespace.GetValueOrDefault(ns) ?? [];
        }

        List<T>? smallest = null;
        foreach (var (key, value) in selector)
        {
            var bucket = _byLabel.GetValueOrDefault((ns, key, value));
            if (bucket is null)
            {
                return [];
            }

            if (smallest is null || bucket.Count < smallest.Count)
            {
                smallest = bucket;
            }
        }

        return smallest!.Where(item => _labels(item) is { } labels && selector.All(kv => labels.GetValueOrDefault(kv.Key) == kv.Value));
    }

    private static List<T> Bucket<TKey>(Dictionary<TKey, List<T>> map, TKey key)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        return list;
    }
}
