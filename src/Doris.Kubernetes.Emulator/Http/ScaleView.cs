using System.Globalization;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>Maps a custom resource to and from the autoscaling/v1 Scale its CRD's scale subresource describes.</summary>
public static class ScaleView
{
    public static JsonObject Read(ResourceType type, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        var scale = type.Scale ?? throw new InvalidOperationException($"{type.Kind} has no scale subresource");
        var metadata = obj["metadata"]!;
        var status = new JsonObject { ["replicas"] = Int(At(obj, scale.StatusReplicasPath)) ?? 0 };
        if (scale.LabelSelectorPath is { } selectorPath && Selector(At(obj, selectorPath)) is { } selector)
        {
            status["selector"] = selector;
        }

        return new JsonObject
        {
            ["apiVersion"] = "autoscaling/v1",
            ["kind"] = "Scale",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = Int(At(obj, scale.SpecReplicasPath)) ?? 0 },
            ["status"] = status,
        };
    }

    // A CRD points at a selector string; a built-in workload's spec.selector is a LabelSelector, written as one.
    private static string? Selector(JsonNode? node) => node switch
    {
        JsonObject selector => string.Join(",",
            (selector["matchLabels"] as JsonObject ?? []).Select(kv => $"{kv.Key}={ObjectStore.Str(kv.Value)}")
            .Concat((selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>().Select(e =>
                $"{ObjectStore.Str(e["key"])} {ObjectStore.Str(e["operator"])?.ToLowerInvariant() switch { "in" => "in", "notin" => "notin", var o => o }} ({string.Join(",", (e["values"] as JsonArray ?? []).Select(ObjectStore.Str))})"))),
        _ => ObjectStore.Str(node),
    };

    /// <summary>The object with the Scale's spec.replicas written at the spec path; a stale resourceVersion is a conflict.</summary>
    public static JsonObject Apply(ResourceType type, JsonObject current, JsonObject wanted)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(wanted);
        var scale = type.Scale ?? throw new InvalidOperationException($"{type.Kind} has no scale subresource");
        if (Int(wanted["spec"]?["replicas"]) is not { } replicas || replicas < 0)
        {
            throw ApiError.Invalid(type, ObjectStore.Str(current["metadata"]?["name"]) ?? string.Empty, "spec.replicas: Invalid value: must be a non-negative integer");
        }

        var next = (JsonObject)current.DeepClone();
        if (ObjectStore.Str(wanted["metadata"]?["resourceVersion"]) is { Length: > 0 } rv)
        {
            next["metadata"]!["resourceVersion"] = rv; // the store's optimistic concurrency check compares it
        }

        var parts = scale.SpecReplicasPath.TrimStart('.').Split('.');
        JsonObject node = next;
        foreach (var part in parts[..^1])
        {
            node = node[part] as JsonObject ?? (JsonObject)(node[part] = new JsonObject());
        }

        node[parts[^1]] = replicas;
        return next;
    }

    private static JsonNode? At(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.TrimStart('.').Split('.'))
        {
            node = node?[part];
        }

        return node;
    }

    private static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var l) ? (int)l
        : node is JsonValue d && d.TryGetValue<double>(out var x) ? (int)x
        : ObjectStore.Str(node) is { } s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;
}
