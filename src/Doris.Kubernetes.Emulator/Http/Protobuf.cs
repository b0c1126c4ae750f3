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
        if (body.Length < Magic.Length || !body.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw ApiError.BadRequest("a protobuf body must start with the k8s\\0 envelope");
        }

        var unknown = Fields(body.AsMemory(Magic.Length));
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

    // The length-delimited fields of one message (varints and fixed-size fields are skipped: none is needed here).
    private static List<(int Number, ReadOnlyMemory<byte> Bytes)> Fields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<(int, ReadOnlyMemory<byte>)>();
        var span = message.Span;
        var at = 0;
        while (at < span.Length)
        {
            var key = Varint(span, ref at);
            var number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    _ = Varint(span, ref at);
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

                    fields.Add((number, message.Slice(at, (int)length)));
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
