using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Serialization;

namespace Doris.Kubernetes.Client;

/// <summary>
/// An open watch: the server has answered 200 (so the watch is working even before its first event), and its
/// newline-delimited events can be read. Every way the stream can break surfaces as a
/// <see cref="KubernetesApiException"/>: an ERROR event (410 included), a reset connection or an I/O error
/// (<c>StreamBroken</c>), and a line that is not JSON or is longer than any object can be (<c>StreamUndecodable</c>).
/// A clean end of the stream is the end of the enumeration.
/// </summary>
public sealed class WatchStream : IAsyncDisposable
{
    /// <summary>
    /// The longest event line taken: etcd refuses objects over 1.5 MiB, so a line many times that is a broken or
    /// hostile server, and buffering it without end would let one stream take the operator's memory.
    /// </summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private readonly HttpResponseMessage _response;
    private readonly string _what;

    internal WatchStream(HttpResponseMessage response, string what)
    {
        _response = response;
        _what = what;
    }

    /// <summary>
    /// Raw events: the type and the object as JSON (decoding is the reader's choice, object by object). The object is
    /// read straight from the line's UTF-8 bytes, with no document tree, and is valid until the next event is asked for
    /// (its buffer is then reused): decode it, or <see cref="JsonElement.Clone"/> it, before moving on.
    /// </summary>
    public async IAsyncEnumerable<(string Type, JsonElement Object)> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        JsonDocument? current = null;
        long scanned = 0; // bytes at the front of the buffer already known to hold no line end
        try
        {
            while (true)
            {
                var result = await ReadMoreAsync(reader, cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (NextLine(ref buffer, ref scanned, result.IsCompleted) is { } line)
                {
                    current?.Dispose();
                    current = null;
                    if (IsBlank(line))
                    {
                        continue;
                    }

                    current = Parse(line);
                    yield return Event(current.RootElement);
                }

                if (buffer.Length > MaxLineBytes)
                {
                    throw new KubernetesApiException(HttpStatusCode.InternalServerError, "StreamUndecodable", $"{_what}: a watch event is longer than {MaxLineBytes / (1024 * 1024)} MiB without a line end; watching again", null);
                }

                if (result.IsCompleted)
                {
                    yield break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            current?.Dispose();
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task<ReadResult> ReadMoreAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new KubernetesApiException(HttpStatusCode.ServiceUnavailable, "StreamBroken", $"{_what}: the watch stream broke: {e.Message}", null);
        }
    }

    // The next whole line (without its newline), taken off the front of the buffer; at the end of the stream the rest
    // counts as a line, as a reader of lines would give it. Only bytes not searched before are searched: a long line
    // arrives over many reads, and searching it from its start each time would cost the square of its length (a server
    // sending 16 MiB without a line end would buy seconds of CPU).
    private static ReadOnlySequence<byte>? NextLine(ref ReadOnlySequence<byte> buffer, ref long scanned, bool ended)
    {
        if (buffer.Slice(scanned).PositionOf((byte)'\n') is { } end)
        {
            var line = buffer.Slice(0, end);
            buffer = buffer.Slice(buffer.GetPosition(1, end));
            scanned = 0;
            return line;
        }

        scanned = buffer.Length;
        if (ended && !buffer.IsEmpty)
        {
            var rest = buffer;
            buffer = buffer.Slice(buffer.End);
            scanned = 0;
            return rest;
        }

        return null;
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            if (segment.Span.IndexOfAnyExcept(" \t\r"u8) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    // The line is copied out of the pipe's buffer (the pipe reuses it), and parsed in place from the copy.
    private JsonDocument Parse(ReadOnlySequence<byte> line)
    {
        try
        {
            return JsonDocument.Parse(line.ToArray());
        }
        catch (JsonException e)
        {
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, "StreamUndecodable", $"{_what}: a watch event is not valid JSON ({e.Message}); watching again", null);
        }
    }

    private (string Type, JsonElement Object) Event(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, "StreamUndecodable", $"{_what}: a watch event is not valid JSON (not a JSON object); watching again", null);
        }

        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty;
        var hasObject = root.TryGetProperty("object", out var obj) && obj.ValueKind == JsonValueKind.Object;
        if (type == "ERROR")
        {
            Doris.Kubernetes.Models.Status? status = null;
            try
            {
                status = hasObject ? obj.Deserialize(KubernetesJsonContext.Default.Status) : null;
            }
            catch (JsonException)
            {
            }

            throw new KubernetesApiException((HttpStatusCode)(status?.Code ?? 500), status?.Reason ?? "InternalError", $"{_what}: {status?.Reason}: {status?.Message}", status);
        }

        if (!hasObject)
        {
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, "StreamUndecodable", $"{_what}: a {type} watch event has no object; watching again", null);
        }

        return (type, obj);
    }

    public ValueTask DisposeAsync()
    {
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
