using System.Collections.Concurrent;

namespace Doris.Kubernetes.Client.Http;

/// <summary>Requests sent to the API server by verb (HTTP method, or WATCH) and status code, for metrics and benchmarks.</summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<(string Verb, string Resource, int Code), long> _counts = new();

    public void Record(string verb, string resource, int code) => _counts.AddOrUpdate((verb, resource, code), 1, (_, n) => n + 1);

    public IReadOnlyDictionary<(string Verb, string Resource, int Code), long> Snapshot() => new Dictionary<(string, string, int), long>(_counts);

    public long Total => _counts.Values.Sum();

    /// <summary>Requests that change something (POST, PUT, PATCH, DELETE), whatever their outcome.</summary>
    public long Writes => _counts.Where(kv => kv.Key.Verb is "POST" or "PUT" or "PATCH" or "DELETE").Sum(kv => kv.Value);

    /// <summary>The resource a request path names: <c>/api/v1/namespaces/ns/pods/x/status</c> is <c>pods</c>.</summary>
    public static string ResourceOf(Uri? uri)
    {
        var segments = (uri?.AbsolutePath ?? string.Empty).Trim('/').Split('/');
        var start = segments.Length > 0 && segments[0] == "api" ? 2 : 3; // api/v1/... or apis/group/version/...
        if (segments.Length > start + 1 && segments[start] == "namespaces" && segments.Length > start + 2)
        {
            start += 2;
        }

        return segments.Length > start ? segments[start] : "discovery";
    }
}
