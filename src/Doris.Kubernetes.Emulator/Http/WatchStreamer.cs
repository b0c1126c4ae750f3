using System.Globalization;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;
using Microsoft.AspNetCore.Http;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>
/// A watch response: newline-delimited <c>{"type","object"}</c> events, periodic BOOKMARKs when asked for,
/// and, like the real watch cache, a too-old resourceVersion answered in-stream as an ERROR event with a 410 Status.
/// </summary>
internal static class WatchStreamer
{
    public static async Task StreamAsync(HttpContext http, ObjectStore store, ResourceType type, string? ns, TimeSpan bookmarkInterval)
    {
        var query = http.Request.Query;
        long? from = long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : null;
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var initial = query["sendInitialEvents"] == "true";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        if (int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        IAsyncEnumerator<StoredEvent> events;
        try
        {
            events = store.Watch(type, ns, LabelSelector.Parse(query["labelSelector"]), from, initial, timeout.Token).GetAsyncEnumerator(timeout.Token);
        }
        catch (ApiError e) when (e.Code == 410)
        {
            await WriteEventAsync(http, "ERROR", e.ToStatus()).ConfigureAwait(false);
            return;
        }

        try
        {
            var next = events.MoveNextAsync().AsTask();
            while (true)
            {
                var tick = Task.Delay(bookmarkInterval, timeout.Token);
                var done = await Task.WhenAny(next, tick).ConfigureAwait(false);
                if (done == next)
                {
                    if (!await next.ConfigureAwait(false))
                    {
                        return; // the store closed the watch (fault switch)
                    }

                    var e = events.Current;
                    if (e.Type != "BOOKMARK" || bookmarks || initial)
                    {
                        await WriteEventAsync(http, e.Type, e.Type == "BOOKMARK" ? Bookmark(type, e.Object) : e.Object).ConfigureAwait(false);
                    }

                    next = events.MoveNextAsync().AsTask();
                }
                else if (bookmarks && !tick.IsCanceled)
                {
                    await WriteEventAsync(http, "BOOKMARK", Bookmark(type, new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = store.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture) } })).ConfigureAwait(false);
                }
                else if (timeout.IsCancellationRequested)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds elapsed or the client closed the stream
        }
        finally
        {
            await events.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static JsonObject Bookmark(ResourceType type, JsonObject source) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = source["metadata"]!.DeepClone(),
    };

    private static async Task WriteEventAsync(HttpContext http, string type, JsonObject obj)
    {
        await http.Response.WriteAsync(new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString(RequestHandler.Wire) + "\n", http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }
}
