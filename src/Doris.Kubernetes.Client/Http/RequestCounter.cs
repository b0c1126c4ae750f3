using System.Collections.Concurrent;

namespace Doris.Kubernetes.Client.Http;

/// <summary>Requests sent to the API server by verb (HTTP method, or WATCH) and status code, for metrics and benchmarks.</summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<(string Verb, int Code), long> _counts = new();

    public void Record(string verb, int code) => _counts.AddOrUpdate((verb, code), 1, (_, n) => n + 1);

    public IReadOnlyDictionary<(string Verb, int Code), long> Snapshot() => new Dictionary<(string, int), long>(_counts);

    public long Total => _counts.Values.Sum();

    /// <summary>Requests that change something (POST, PUT, PATCH, DELETE), whatever their outcome.</summary>
    public long Writes => _counts.Where(kv => kv.Key.Verb is "POST" or "PUT" or "PATCH" or "DELETE").Sum(kv => kv.Value);
}
