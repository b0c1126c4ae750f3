using System.Text;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>
/// The protobuf bodies kubectl sends that the emulator reads: the reviews of <c>kubectl auth can-i</c> and
/// <c>auth whoami</c> (the <c>k8s\0</c> envelope, a runtime.Unknown whose raw bytes hold the review). Field numbers
/// from the Kubernetes API's generated.proto for authorization/v1. Other protobuf bodies stay 415.
/// </summary>
internal static class Protobuf
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    private static readonly string[] ResourceAttributeNames = [string.Empty, "namespace", "verb", "group", "version", "resource", "subresource", "name"];

    private static readonly string[] NonResourceAttributeNames = [string.Empty, "path", "verb"];

    /// <summary>A review sent as protobuf: an access review's attributes, or a whoami review (which has no spec).</summary>
    public static JsonObject Review(byte[] body, string kind)
    {
        var unknown = Fields(Envelope(body));
        var raw = unknown.LastOrDefault(f => f.Number == 2).Bytes;
        if (kind != "SelfSubjectAccessReview")
        {
            return [];
        }

        var spec = Fields(Fields(raw).LastOrDefault(f => f.Number == 2).Bytes);
        var json = new JsonObject();
        if (spec.LastOrDefault(f => f.Number == 1) is { Bytes.Length: > 0 } resource)
        {
            json["resourceAttributes"] = Strings(resource.Bytes, ResourceAttributeNames);
        }

        if (spec.LastOrDefault(f => f.Number == 2) is { Bytes.Length: > 0 } nonResource)
        {
            json["nonResourceAttributes"] = Strings(nonResource.Bytes, NonResourceAttributeNames);
        }

        return new JsonObject { ["spec"] = json };
    }

    /// <summary>
    /// The objects <c>kubectl create namespace|configmap|secret</c> send as protobuf, as JSON (field numbers from
    /// core/v1 and meta/v1 generated.proto). Other kinds stay 415, naming the JSON way to create them.
    /// </summary>
    public static JsonObject Object(byte[] body, ResourceType type)
    {
        if (type.Group.Length != 0 || type.Kind is not ("Namespace" or "ConfigMap" or "Secret"))
        {
            throw new ApiError(415, "UnsupportedMediaType", $"the emulator reads protobuf only for Namespaces, ConfigMaps, Secrets and access reviews; create {type.Plural} from a manifest with 'kubectl apply -f' (which sends JSON)");
        }

        var raw = Fields(Envelope(body)).LastOrDefault(f => f.Number == 2).Bytes;
        var json = new JsonObject { ["apiVersion"] = "v1", ["kind"] = type.Kind };
        foreach (var (number, bytes, varint) in AllFields(raw))
        {
            switch (type.Kind, number)
            {
                case (_, 1):
                    json["metadata"] = Metadata(bytes);
                    break;
                case ("ConfigMap", 2) or ("Secret", 4):
                    Entry(json, type.Kind == "Secret" ? "stringData" : "data", bytes, base64: false);
                    break;
                case ("ConfigMap", 3) or ("Secret", 2):
                    Entry(json, type.Kind == "Secret" ? "data" : "binaryData", bytes, base64: true);
                    break;
                case ("Secret", 3):
                    json["type"] = Encoding.UTF8.GetString(bytes.Span);
                    break;
                case ("ConfigMap", 4) or ("Secret", 5) when varint is { } flag:
                    json["immutable"] = flag != 0;
                    break;
            }
        }

        return json;
    }

    private static readonly string[] MetadataStrings = [string.Empty, "name", "generateName", "namespace"];

    private static JsonObject Metadata(ReadOnlyMemory<byte> message)
    {
        var meta = new JsonObject();
        foreach (var (number, bytes) in Fields(message))
        {
            if (number < MetadataStrings.Length && MetadataStrings[number].Length > 0)
            {
                meta[MetadataStrings[number]] = Encoding.UTF8.GetString(bytes.Span);
            }
            else if (number is 11 or 12)
            {
                Entry(meta, number == 11 ? "labels" : "annotations", bytes, base64: false);
            }
        }

        return meta;
    }

    // One map<string, string|bytes> entry (key = 1, value = 2) added to obj[field].
    private static void Entry(JsonObject obj, string field, ReadOnlyMemory<byte> entry, bool base64)
    {
        var parts = Fields(entry);
        var key = Encoding.UTF8.GetString(parts.LastOrDefault(p => p.Number == 1).Bytes.Span);
        var value = parts.LastOrDefault(p => p.Number == 2).Bytes;
        var map = obj[field] as JsonObject ?? [];
        obj[field] = map;
        map[key] = base64 ? Convert.ToBase64String(value.Span) : Encoding.UTF8.GetString(value.Span);
    }

    // The runtime.Unknown after the "k8s\0" magic every Kubernetes protobuf body starts with.
    private static ReadOnlyMemory<byte> Envelope(byte[] body) =>
        body.Length >= Magic.Length && body.AsSpan(0, Magic.Length).SequenceEqual(Magic)
            ? body.AsMemory(Magic.Length)
            : throw ApiError.BadRequest("a protobuf body must start with the k8s\\0 envelope");

    private static JsonObject Strings(ReadOnlyMemory<byte> message, string[] names)
    {
        var json = new JsonObject();
        foreach (var (number, bytes) in Fields(message))
        {
            if (number < names.Length && names[number].Length > 0)
            {
                json[names[number]] = Encoding.UTF8.GetString(bytes.Span);
            }
        }

        return json;
    }

    // The length-delimited fields of one message (fixed-size fields are skipped: none is needed here).
    private static List<(int Number, ReadOnlyMemory<byte> Bytes)> Fields(ReadOnlyMemory<byte> message) =>
        [.. AllFields(message).Where(f => f.Varint is null).Select(f => (f.Number, f.Bytes))];

    private static List<(int Number, ReadOnlyMemory<byte> Bytes, ulong? Varint)> AllFields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<(int, ReadOnlyMemory<byte>, ulong?)>();
        var span = message.Span;
        var at = 0;
        while (at < span.Length)
        {
            var key = Varint(span, ref at);
            var number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    fields.Add((number, ReadOnlyMemory<byte>.Empty, Varint(span, ref at)));
                    break;
                case 1:
                    at += 8;
                    break;
                case 2:
                    var length = Varint(span, ref at);
                    if (length > (ulong)(span.Length - at))
                    {
                        throw ApiError.BadRequest("the protobuf body is truncated");
                    }

                    fields.Add((number, message.Slice(at, (int)length), null));
                    at += (int)length;
                    break;
                case 5:
                    at += 4;
                    break;
                default:
                    throw ApiError.BadRequest($"the protobuf body has an unsupported wire type {key & 7}");
            }
        }

        return fields;
    }

    private static ulong Varint(ReadOnlySpan<byte> span, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= span.Length)
            {
                throw ApiError.BadRequest("the protobuf body is truncated");
            }

            var b = span[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw ApiError.BadRequest("the protobuf body has an over-long varint");
    }
}
