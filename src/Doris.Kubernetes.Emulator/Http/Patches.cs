using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>JSON merge patch (RFC 7386) and JSON patch (RFC 6902), applied to a copy of the live object.</summary>
internal static class Patches
{
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject is { } t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Merge(result[key], value);
            }
        }

        return result;
    }

    /// <summary>
    /// Applies RFC 6902 operations. Growth is budgeted as it happens: each added or copied value counts its size, so
    /// a few hundred bytes of doubling copies are refused at <paramref name="maxBytes"/>, not after filling memory.
    /// </summary>
    public static JsonNode Json(JsonNode target, JsonArray operations, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(operations);
        var doc = target.DeepClone();
        long size = target.ToJsonString().Length;
        for (var index = 0; index < operations.Count; index++)
        {
            if (operations[index] is not JsonObject op)
            {
                throw ApiError.BadRequest($"json patch operation {index} is not an object; each operation is {{\"op\": ..., \"path\": ...}}");
            }

            var kind = ObjectStore.Str(op["op"]);
            var path = ObjectStore.Str(op["path"]) ?? throw ApiError.BadRequest($"json patch operation {index} has no path");
            if (path.Length > 0 && path[0] != '/')
            {
                throw ApiError.BadRequest($"json patch operation {index}: path '{path}' must start with '/' (a JSON pointer)");
            }

            if (kind is "add" or "replace" or "copy")
            {
                var value = kind == "copy" ? Resolve(doc, ObjectStore.Str(op["from"]) ?? string.Empty) : op["value"];
                size += value?.ToJsonString().Length ?? 4;
                if (size > maxBytes)
                {
                    throw new ApiError(413, "RequestEntityTooLarge", $"Request entity too large: the patched object would exceed {maxBytes} bytes (json patch operation {index}, {kind} {path})");
                }
            }

            switch (kind)
            {
                case "add":
                    Set(ref doc, path, op["value"]?.DeepClone(), insert: true);
                    break;
                case "replace":
                    _ = Resolve(doc, path) ?? throw ApiError.Invalid(new ResourceType(string.Empty, "v1", "Object", "objects", "object", false, false, []), string.Empty, $"jsonpatch replace operation does not apply: doc is missing key: {path}");
                    Set(ref doc, path, op["value"]?.DeepClone(), insert: false);
                    break;
                case "remove":
                    Remove(doc, path);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(doc, path), op["value"]))
                    {
                        throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    }

                    break;
                case "copy" or "move":
                    var from = ObjectStore.Str(op["from"]) ?? throw ApiError.BadRequest($"json patch {kind} without from");
                    var value = Resolve(doc, from)?.DeepClone();
                    if (kind == "move")
                    {
                        Remove(doc, from);
                    }

                    Set(ref doc, path, value, insert: true);
                    break;
                default:
                    throw ApiError.BadRequest($"unexpected json patch operation '{kind}'");
            }
        }

        return doc;
    }

    /// <summary>Refuses an object larger than the server stores (kube-apiserver: 3 MiB requests, etcd 1.5 MiB values).</summary>
    public static void CheckSize(JsonObject obj, int maxBytes)
    {
        var size = obj.ToJsonString(RequestHandler.Wire).Length;
        if (size > maxBytes)
        {
            throw new ApiError(413, "RequestEntityTooLarge", $"Request entity too large: the patched object is {size} bytes, more than {maxBytes}");
        }
    }

    // The parent of a pointer: the document itself for a top-level member ("/spec"), else the node the prefix names.
    private static JsonNode? Parent(JsonNode doc, string[] tokens) =>
        tokens.Length == 1 ? doc : Resolve(doc, "/" + string.Join("/", tokens[..^1].Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))));

    private static string[] Tokens(string path) =>
        [.. path.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static JsonNode? Resolve(JsonNode? node, string path)
    {
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject o => o[token],
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    private static void Set(ref JsonNode doc, string path, JsonNode? value, bool insert)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            doc = value ?? new JsonObject();
            return;
        }

        var parent = Parent(doc, tokens);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                if (insert)
                {
                    a.Insert(i, value);
                }
                else
                {
                    a[i] = value;
                }

                break;
            default:
                throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: jsonpatch add operation does not apply: doc is missing path: {path}");
        }
    }

    private static void Remove(JsonNode doc, string path)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            throw ApiError.BadRequest("json patch cannot remove the whole object");
        }

        var parent = Parent(doc, tokens);
        var removed = parent switch
        {
            JsonObject o => o.Remove(tokens[^1]),
            JsonArray a when int.TryParse(tokens[^1], out var i) && i >= 0 && i < a.Count => Remove(a, i),
            _ => false,
        };
        if (!removed)
        {
            throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: jsonpatch remove operation does not apply: doc is missing path: {path}");
        }
    }

    private static bool Remove(JsonArray array, int index)
    {
        array.RemoveAt(index);
        return true;
    }
}
