using System.Globalization;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;
using Microsoft.AspNetCore.Http;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>
/// A watch response as kube-apiserver writes one: 200 and headers at once (a quiet watch is still a working
/// watch), newline-delimited <c>{"type","object"}</c> events, periodic BOOKMARKs when asked for, a too-old
/// resourceVersion answered in-stream as an ERROR event with a 410 Status, and at <c>timeoutSeconds</c> a clean
/// end of the stream. Times come from the server's clock, so a sandbox on simulated time ends watches on it too.
/// </summary>
internal static class WatchStreamer
{
    public static async Task StreamAsync(HttpContext http, ObjectStore store, ResourceType type, string? ns, TimeSpan bookmarkInterval, TimeProvider time, Faults faults, Func<JsonObject, JsonObject>? asTable = null)
    {
        var query = http.Request.Query;
        long? from = long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : null;
        var bookmarks = RequestHandler.GoBool(query["allowWatchBookmarks"]);
        var initial = RequestHandler.GoBool(query["sendInitialEvents"]);
        var labels = LabelSelector.Parse(query["labelSelector"]);
        using var expiry = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds), time)
            : new CancellationTokenSource();
        var broken = faults.WatchBreakToken;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, expiry.Token, broken);
        using var noted = CancellationTokenSource.CreateLinkedTokenSource(expiry.Token, broken);
        using var ending = noted.Token.Register(store.NoteWatchEnding);

        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-cache, private";
        IAsyncEnumerator<StoredEvent> events;
        try
        {
            events = store.Watch(type, ns, labels, from, initial, stop.Token, query["fieldSelector"]).GetAsyncEnumerator(stop.Token);
        }
        catch (ApiError e) when (e.Code == 410)
        {
            await WriteEventAsync(http, "ERROR", e.ToStatus()).ConfigureAwait(false);
            return;
        }

        Task<bool>? next = null;
        try
        {
            await http.Response.StartAsync(http.RequestAborted).ConfigureAwait(false);
            await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            next = events.MoveNextAsync().AsTask();
            while (true)
            {
                var tick = Task.Delay(bookmarkInterval, time, stop.Token);
                if (await Task.WhenAny(next, tick).ConfigureAwait(false) == next)
                {
                    var more = await next.ConfigureAwait(false);
                    next = null;
                    if (!more)
                    {
                        return; // the store closed the watch (a deleted CRD, the fault switch): a clean end
                    }

                    var e = events.Current;
                    if (e.Type != "BOOKMARK" || bookmarks || initial)
                    {
                        await WriteEventAsync(http, e.Type, e.Type == "BOOKMARK" ? Bookmark(type, e.Object) : asTable is null ? e.Object : asTable(e.Object)).ConfigureAwait(false);
                    }

                    if (stop.IsCancellationRequested)
                    {
                        break; // a busy watch ends on time too: the channel hands out queued events without looking at the token
                    }

                    next = events.MoveNextAsync().AsTask();
                }
                else if (stop.IsCancellationRequested)
                {
                    break;
                }
                else if (bookmarks)
                {
                    await WriteEventAsync(http, "BOOKMARK", Bookmark(type, new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = store.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture) } })).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds elapsed, a fault broke the watch, or the client closed the stream
        }
        finally
        {
            if (next is not null)
            {
                // An async iterator cannot be disposed while a MoveNextAsync is outstanding; the cancelled token ends it.
                await stop.CancelAsync().ConfigureAwait(false);
                try
                {
                    await next.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            await events.DisposeAsync().ConfigureAwait(false);
        }

        if (broken.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            await BreakAsync(http, faults.LastBreak).ConfigureAwait(false);
        }
    }

    private static async Task BreakAsync(HttpContext http, WatchBreak how)
    {
        if (how == WatchBreak.Corrupt)
        {
            await http.Response.WriteAsync("{\"type\":\"MODIFIED\",\"object\":{\"kind\":\n", http.RequestAborted).ConfigureAwait(false);
            await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            return;
        }

        http.Abort();
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
