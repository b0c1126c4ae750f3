using System.Text.Json.Nodes;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Cluster;

/// <summary>
/// Writes a cluster's whole status as one JSON patch, tested against the cluster's uid: it needs no
/// resourceVersion, so a cache that has not seen our last write yet costs no 409 and no second reconcile, and it can
/// never land on a cluster of the same name created since. The status is computed whole each time: last write wins.
/// </summary>
internal sealed class StatusPatch
{
    // The last status this process wrote per cluster, with the resourceVersion it was computed from. A reconcile
    // that runs before the cache has seen that write still reads the older object (same resourceVersion): it is
    // compared with what was written, not with the stale copy, so the same status is not sent twice.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string? Uid, string? Base, string Json)> _written = new(StringComparer.Ordinal);

    /// <param name="before">The status as the cached object has it (null when it has none).</param>
    /// <returns>Whether a write was sent and accepted (nothing is sent when the status is already what the server has).</returns>
    public async Task<bool> WriteAsync<T>(ResourceClient<T> resource, ObjectMeta meta, string? before, string after, CancellationToken cancellationToken)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(meta);
        var key = $"{meta.Namespace}/{meta.Name}";
        if (_written.TryGetValue(key, out var last) && last.Uid == meta.Uid && last.Base == meta.ResourceVersion && meta.ResourceVersion is not null)
        {
            before = last.Json; // the cache has not caught up with our own write yet
        }

        if (before == after)
        {
            return false;
        }

        var patch = new JsonArray();
        if (meta.Uid is { } uid)
        {
            patch.Add((JsonNode)new JsonObject { ["op"] = "test", ["path"] = "/metadata/uid", ["value"] = uid });
        }

        patch.Add((JsonNode)new JsonObject { ["op"] = "add", ["path"] = "/status", ["value"] = JsonNode.Parse(after) });
        try
        {
            await resource.PatchAsync(meta.Namespace, meta.Name!, PatchType.Json, patch.ToJsonString(), status: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            _written[key] = (meta.Uid, meta.ResourceVersion, after);
            return true;
        }
        catch (KubernetesApiException e) when (e.IsConflict || e.IsNotFound || e.Code == System.Net.HttpStatusCode.UnprocessableEntity)
        {
            _written.TryRemove(key, out _);
            return false; // deleted, or replaced by a new cluster of the same name (the uid test failed): its own events queue it
        }
    }

    public void Forget(string ns, string name) => _written.TryRemove($"{ns}/{name}", out _);
}
