using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Serialization;

namespace Doris.Kubernetes.Client;

/// <summary>
/// An open watch: the server has answered 200 (so the watch is working even before its first event), and its
/// newline-delimited events can be read. Every way the stream can break surfaces as a
/// <see cref="KubernetesApiException"/>: an ERROR event (410 included), a reset connection or an I/O error
/// (<c>StreamBroken</c>), and a line that is not JSON (<c>StreamUndecodable</c>). A clean end of the stream is
/// the end of the enumeration.
/// </summary>
public sealed class WatchStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly string _what;

    internal WatchStream(HttpResponseMessage response, string what)
    {
        _response = response;
        _what = what;
    }

    /// <summary>Raw events: the type and the object as JSON (decoding is the reader's choice, object by object).</summary>
    public async IAsyncEnumerable<(string Type, JsonObject Object)> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new KubernetesApiException(HttpStatusCode.ServiceUnavailable, "StreamBroken", $"{_what}: the watch stream broke: {e.Message}", null);
            }

            if (line is null)
            {
                yield break;
            }

            if (line.Length == 0)
            {
                continue;
            }

            JsonObject node;
            try
            {
                node = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not a JSON object");
            }
            catch (JsonException e)
            {
                throw new KubernetesApiException(HttpStatusCode.InternalServerError, "StreamUndecodable", $"{_what}: a watch event is not valid JSON ({e.Message}); watching again", null);
            }

            var type = node["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : string.Empty;
            if (type == "ERROR")
            {
                Doris.Kubernetes.Models.Status? status = null;
                try
                {
                    status = node["object"]?.Deserialize(KubernetesJsonContext.Default.Status);
                }
                catch (JsonException)
                {
                }

                throw new KubernetesApiException((HttpStatusCode)(status?.Code ?? 500), status?.Reason ?? "InternalError", $"{_what}: {status?.Reason}: {status?.Message}", status);
            }

            if (node["object"] is not JsonObject obj)
            {
                throw new KubernetesApiException(HttpStatusCode.InternalServerError, "StreamUndecodable", $"{_what}: a {type} watch event has no object; watching again", null);
            }

            yield return (type, obj);
        }
    }

    public ValueTask DisposeAsync()
    {
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
