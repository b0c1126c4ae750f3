using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;
using Microsoft.AspNetCore.Http;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>
/// <c>GET pods/{name}/log</c>, what <c>kubectl logs</c> asks: the lines a simulated container printed, as text, with
/// the parameters kubelet honours (container, tailLines, sinceSeconds, timestamps, limitBytes, follow) and its
/// refusals (a container not started yet, no previous instance, an ambiguous container).
/// </summary>
internal static class LogView
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(200);

    public static async Task ServeAsync(HttpContext http, ObjectStore store, TimeProvider time, ResourceType type, string ns, string name)
    {
        var pod = store.Get(type, ns, name);
        var query = http.Request.Query;
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).Select(c => ObjectStore.Str(c?["name"])).OfType<string>().ToList();
        var container = query["container"].ToString();
        if (container.Length == 0)
        {
            container = containers.Count == 1 ? containers[0] : throw ApiError.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', containers)}]");
        }
        else if (!containers.Contains(container))
        {
            throw ApiError.BadRequest($"container {container} is not valid for pod {name}");
        }

        if (RequestHandler.GoBool(query["previous"]))
        {
            throw ApiError.BadRequest($"previous terminated container \"{container}\" in pod \"{name}\" not found");
        }

        var state = (pod["status"]?["containerStatuses"] as JsonArray ?? []).FirstOrDefault(c => ObjectStore.Str(c?["name"]) == container)?["state"];
        if (state?["running"] is null && state?["terminated"] is null)
        {
            var reason = ObjectStore.Str(state?["waiting"]?["reason"]) ?? "ContainerCreating";
            throw ApiError.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: {reason}");
        }

        var timestamps = RequestHandler.GoBool(query["timestamps"]);
        var lines = store.Logs.Read(ns, name, container);
        if (long.TryParse(query["sinceSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var since))
        {
            var cutoff = time.GetUtcNow() - TimeSpan.FromSeconds(since);
            lines = [.. lines.Where(l => l.Time >= cutoff)];
        }

        if (int.TryParse(query["tailLines"], NumberStyles.None, CultureInfo.InvariantCulture, out var tail))
        {
            lines = [.. lines.Skip(Math.Max(0, lines.Count - tail))];
        }

        var limit = long.TryParse(query["limitBytes"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : long.MaxValue;
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/plain";
        var sent = lines.Count == 0 ? 0 : lines[^1].Sequence;
        var written = await WriteLinesAsync(http, lines, timestamps, limit).ConfigureAwait(false);
        if (!RequestHandler.GoBool(query["follow"]))
        {
            return;
        }

        // Following: new lines as they are printed, until the pod is gone, the client leaves or limitBytes is spent.
        await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
        while (written < limit)
        {
            try
            {
                await Task.Delay(FollowPoll, time, http.RequestAborted).ConfigureAwait(false);
                _ = store.Get(type, ns, name);
            }
            catch (Exception e) when (e is OperationCanceledException or ApiError)
            {
                return;
            }

            var fresh = store.Logs.Read(ns, name, container).Where(x => x.Sequence > sent).ToList();
            if (fresh.Count > 0)
            {
                sent = fresh[^1].Sequence;
                written += await WriteLinesAsync(http, fresh, timestamps, limit - written).ConfigureAwait(false);
                await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    private static async Task<long> WriteLinesAsync(HttpContext http, IEnumerable<PodLogs.LogLine> lines, bool timestamps, long budget)
    {
        var text = new StringBuilder();
        foreach (var (_, at, line) in lines)
        {
            if (timestamps)
            {
                text.Append(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)).Append(' ');
            }

            text.Append(line).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var length = (int)Math.Min(bytes.Length, budget);
        await http.Response.Body.WriteAsync(bytes.AsMemory(0, length), http.RequestAborted).ConfigureAwait(false);
        return length;
    }
}
