using System.Buffers;
using System.Globalization;
using System.Text.Json;
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
    // Events written before a flush when a watcher is behind: bounds what one write holds (kube-apiserver's watch
    // likewise flushes when it has nothing more queued).
    private const int FlushEvery = 64;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = RequestHandler.Wire.Encoder, MaxDepth = RequestHandler.Wire.MaxDepth, SkipValidation = true };

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
            WriteEvent(http, "ERROR", e.ToStatus());
            await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            return;
        }

        Task<bool>? next = null;
        var unflushed = 0;
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
                        WriteEvent(http, e.Type, e.Type == "BOOKMARK" ? Bookmark(type, e.Object) : asTable is null ? e.Object : asTable(e.Object));
                        unflushed++;
                    }

                    if (stop.IsCancellationRequested)
                    {
                        await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
                        break; // a busy watch ends on time too: the channel hands out queued events without looking at the token
                    }

                    // Events already queued go out in one write, as kube-apiserver batches them; the stream is flushed
                    // before it waits, so no event sits in a buffer while the watch is quiet.
                    next = events.MoveNextAsync().AsTask();
                    if (unflushed > 0 && (!next.IsCompleted || unflushed >= FlushEvery))
                    {
                        await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
                        unflushed = 0;
                    }
                }
                else if (stop.IsCancellationRequested)
                {
                    break;
                }
                else if (bookmarks)
                {
                    WriteEvent(http, "BOOKMARK", Bookmark(type, new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = store.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture) } }));
                    await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
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

    // Written straight into the response's buffer: the stored object is read, not copied (it is never changed once
    // stored), and no intermediate string is made. Every watcher of a busy resource pays this per event.
    private static void WriteEvent(HttpContext http, string type, JsonObject obj)
    {
        var body = http.Response.BodyWriter;
        using (var writer = new Utf8JsonWriter(body, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("object");
            obj.WriteTo(writer, RequestHandler.Wire);
            writer.WriteEndObject();
        }

        body.Write("\n"u8);
    }
}
