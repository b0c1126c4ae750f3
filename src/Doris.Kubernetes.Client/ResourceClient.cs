using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Kubernetes.Client;

/// <summary>Typed operations on one resource: get, list (paged), create, replace, status, patch, delete and watch.</summary>
public sealed class ResourceClient<T>
    where T : class, IKubernetesObject
{
    private readonly KubernetesClient _client;
    private readonly ResourceDescriptor _resource;
    private readonly Func<JsonTypeInfo<T>>? _resolve;
    private JsonTypeInfo<T>? _type;

    internal ResourceClient(KubernetesClient client, ResourceDescriptor resource, JsonTypeInfo<T> type)
    {
        _client = client;
        _resource = resource;
        _type = type;
    }

    internal ResourceClient(KubernetesClient client, ResourceDescriptor resource, Func<JsonTypeInfo<T>> resolve)
    {
        _client = client;
        _resource = resource;
        _resolve = resolve;
    }

    // Resolved on the first object encoded or decoded (KubernetesClient.For says why). Two threads racing here get
    // the same contract: a source-generated context caches each one.
    private JsonTypeInfo<T> Type => _type ??= _resolve!();

    /// <summary>Which resource this client reads and writes.</summary>
    public ResourceDescriptor Resource => _resource;

    public Task<T> GetAsync(string? ns, string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, _resource.Item(ns, name), null, null, cancellationToken)!;

    /// <summary>
    /// The object, or null when it does not exist (404): for a caller to whom absence is an ordinary answer (a leader
    /// election's first round), without an exception thrown and caught for it.
    /// </summary>
    public Task<T?> FindAsync(string? ns, string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, _resource.Item(ns, name), null, null, cancellationToken, notFoundIsAnswer: true);

    public Task<T> CreateAsync(T obj, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, _resource.Collection(_resource.Namespaced ? obj.Metadata?.Namespace ?? "default" : null), Json(obj), "application/json", cancellationToken)!;

    /// <summary>A full update; fails with Conflict when the object changed since <c>metadata.resourceVersion</c>.</summary>
    public Task<T> ReplaceAsync(T obj, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, _resource.Item(obj.Metadata?.Namespace, Name(obj)), Json(obj), "application/json", cancellationToken)!;

    public Task<T> ReplaceStatusAsync(T obj, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, _resource.Item(obj.Metadata?.Namespace, Name(obj)) + "/status", Json(obj), "application/json", cancellationToken)!;

    public Task<T> PatchAsync(string? ns, string name, PatchType type, string patch, string? fieldManager = null, bool status = false, CancellationToken cancellationToken = default)
    {
        var (contentType, query) = type switch
        {
            PatchType.Json => ("application/json-patch+json", string.Empty),
            PatchType.Apply => ("application/apply-patch+yaml", $"?fieldManager={Uri.EscapeDataString(fieldManager ?? "dorisctl")}&force=true"),
            _ => ("application/merge-patch+json", string.Empty),
        };
        return SendAsync(HttpMethod.Patch, _resource.Item(ns, name) + (status ? "/status" : string.Empty) + query, patch, contentType, cancellationToken)!;
    }

    /// <summary>Deletes; with finalizers the returned object still exists, marked with a deletionTimestamp.</summary>
    public async Task DeleteAsync(string? ns, string name, string propagationPolicy = "Background", CancellationToken cancellationToken = default)
    {
        using var response = await RequestAsync(HttpMethod.Delete, _resource.Item(ns, name), $$"""{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"{{propagationPolicy}}"}""", "application/json", cancellationToken).ConfigureAwait(false);
    }

    /// <param name="skipUndecodable">Leave out items that do not decode and name them in <see cref="ListPage{T}.Undecodable"/>, instead of failing the whole list.</param>
    public async Task<ListPage<T>> ListAsync(string? ns, string? labelSelector = null, string? fieldSelector = null, int? limit = null, string? continueToken = null, bool skipUndecodable = false, CancellationToken cancellationToken = default)
    {
        var query = Query(("labelSelector", labelSelector), ("fieldSelector", fieldSelector), ("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("continue", continueToken));
        var path = _resource.Collection(ns) + query;
        using var response = (await RequestAsync(HttpMethod.Get, path, null, null, cancellationToken).ConfigureAwait(false))!;
        // Read as a document (no tree of nodes), each item decoded straight from its bytes.
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, "ListUndecodable", $"GET {path}: the list is not valid JSON: {e.Message}", null);
        }

        using var owned = document;
        var node = document.RootElement;
        if (node.ValueKind != JsonValueKind.Object)
        {
            throw new KubernetesApiException("the server returned an empty list");
        }

        var items = new List<T>();
        var undecodable = new List<UndecodableObject>();
        IEnumerable<JsonElement> listed = node.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];
        foreach (var raw in listed)
        {
            if (TryDecode(raw, out var item, out var failure))
            {
                items.Add(item);
            }
            else if (skipUndecodable)
            {
                undecodable.Add(failure);
            }
            else
            {
                throw new KubernetesApiException(HttpStatusCode.InternalServerError, "ObjectUndecodable", $"GET {path}: {failure}", null);
            }
        }

        return new ListPage<T>(items, Metadata(node, "resourceVersion") ?? string.Empty, Metadata(node, "continue") is { Length: > 0 } c ? c : null) { Undecodable = undecodable };
    }

    /// <summary>Every page of a list, following continue tokens.</summary>
    public async Task<ListPage<T>> ListAllAsync(string? ns, string? labelSelector = null, int pageSize = 500, bool skipUndecodable = false, CancellationToken cancellationToken = default)
    {
        var items = new List<T>();
        var undecodable = new List<UndecodableObject>();
        string? next = null;
        ListPage<T> page;
        do
        {
            page = await ListAsync(ns, labelSelector, null, pageSize, next, skipUndecodable, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            undecodable.AddRange(page.Undecodable);
            next = page.Continue;
        }
        while (next is not null);

        return page with { Items = items, Continue = null, Undecodable = undecodable };
    }

    /// <summary>
    /// Opens a watch from a resourceVersion and returns once the server has answered; read it with
    /// <see cref="WatchStream.ReadAsync"/> and decode each object with <see cref="TryDecode"/>.
    /// </summary>
    public async Task<WatchStream> OpenWatchAsync(string? ns, string? resourceVersion, string? labelSelector = null, bool bookmarks = true, int? timeoutSeconds = null, bool sendInitialEvents = false, CancellationToken cancellationToken = default)
    {
        var query = Query(("watch", "true"), ("resourceVersion", resourceVersion), ("labelSelector", labelSelector), ("allowWatchBookmarks", bookmarks ? "true" : null), ("timeoutSeconds", timeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("sendInitialEvents", sendInitialEvents ? "true" : null), ("resourceVersionMatch", sendInitialEvents ? "NotOlderThan" : null));
        var response = (await RequestAsync(HttpMethod.Get, _resource.Collection(ns) + query, null, null, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false))!;
        return new WatchStream(response, $"watch {_resource.Plural}");
    }

    /// <summary>
    /// Watches from a resourceVersion. An expired version ends the stream with a <see cref="KubernetesApiException"/>
    /// whose <see cref="KubernetesApiException.IsGone"/> is true, whether the server said 410 or sent an ERROR event;
    /// an object that does not decode ends it too (informers use <see cref="OpenWatchAsync"/> and skip such objects).
    /// </summary>
    /// <param name="sendInitialEvents">Stream the current objects as ADDED first, then a BOOKMARK annotated <c>k8s.io/initial-events-end</c> (a list without a list request).</param>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? ns, string? resourceVersion, string? labelSelector = null, bool bookmarks = true, int? timeoutSeconds = null, bool sendInitialEvents = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var stream = await OpenWatchAsync(ns, resourceVersion, labelSelector, bookmarks, timeoutSeconds, sendInitialEvents, cancellationToken).ConfigureAwait(false);
        await foreach (var (type, raw) in stream.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!TryDecode(raw, out var item, out var failure))
            {
                throw new KubernetesApiException(HttpStatusCode.InternalServerError, "ObjectUndecodable", $"watch {_resource.Plural}: {failure}", null);
            }

            yield return new WatchEvent<T>(type, item);
        }
    }

    /// <summary>A string field of an object's metadata (null when absent or not a string).</summary>
    internal static string? Metadata(JsonElement obj, string field) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
        && meta.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Decodes one object straight from its JSON bytes; on failure names the object and the field instead of throwing.</summary>
    public bool TryDecode(JsonElement raw, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? item, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out UndecodableObject? failure)
    {
        JsonException error;
        try
        {
            item = raw.Deserialize(Type);
            if (item is not null)
            {
                failure = null;
                return true;
            }

            error = new JsonException("the object is null");
        }
        catch (JsonException e)
        {
            item = null;
            error = e;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException)
        {
            // converters of ours (quantities, times) throw these for values of the right JSON type but a bad shape
            item = null;
            error = new JsonException(e.Message, e);
        }

        // Only a failure pays for a tree: the report quotes the value at the failing path.
        failure = UndecodableObject.From(JsonNode.Parse(raw.GetRawText()), _resource.Plural, error);
        return false;
    }

    // One request and its decoding in one async method (one state machine per call on every get and write). Null
    // only with notFoundIsAnswer (FindAsync); the other callers' answers are never null.
    private async Task<T?> SendAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken, bool notFoundIsAnswer = false)
    {
        using var response = await RequestAsync(method, path, body, contentType, cancellationToken, notFoundIsAnswer: notFoundIsAnswer).ConfigureAwait(false);
        if (response is null)
        {
            return null;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Type, cancellationToken).ConfigureAwait(false)
                ?? throw new KubernetesApiException($"{method} {path}: the server returned an empty body");
        }
        catch (JsonException e)
        {
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, "ObjectUndecodable", $"{method} {path}: the answer does not decode as {typeof(T).Name}: {e.Message}", null);
        }
        catch (IOException e)
        {
            throw new KubernetesApiException(HttpStatusCode.ServiceUnavailable, "StreamBroken", $"{method} {path}: the answer broke off: {e.Message}", null);
        }
    }

    // Null only with notFoundIsAnswer and a NotFound answer (the same answers a GetAsync caller's IsNotFound catches);
    // every other failure throws as everywhere else.
    private async Task<HttpResponseMessage?> RequestAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, bool notFoundIsAnswer = false)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (completion == HttpCompletionOption.ResponseContentRead)
        {
            timeout.CancelAfter(_client.Options.RequestTimeout);
        }

        HttpResponseMessage response;
        try
        {
            response = await _client.Http.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError && _client.TlsRefusal is { } refusal)
        {
            throw new KubernetesApiException($"{method} {_client.Connection.Server}{path.TrimStart('/')}: the API server's certificate was refused: {refusal}", e);
        }
        catch (HttpRequestException e)
        {
            throw new KubernetesApiException($"{method} {_client.Connection.Server}{path.TrimStart('/')}: cannot reach the API server: {e.Message}; check the server address and that it is running", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesApiException($"{method} {path}: no answer within {_client.Options.RequestTimeout.TotalSeconds:0} s", e);
        }

        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            response.Dispose();
            var error = KubernetesApiException.FromResponse(response.StatusCode, text, $"{method} {path}");
            if (notFoundIsAnswer && error.IsNotFound)
            {
                return null;
            }

            throw error;
        }

        return response;
    }

    private string Json(T obj) => JsonSerializer.Serialize(obj, Type);

    private static string Name(T obj) => obj.Metadata?.Name ?? throw new ArgumentException("the object has no metadata.name");

    private static string Query(params (string Key, string? Value)[] parameters)
    {
        var parts = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? string.Empty : "?" + string.Join("&", parts);
    }
}
