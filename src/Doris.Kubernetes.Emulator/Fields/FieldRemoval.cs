using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Emulator.Fields;

/// <summary>Removes one field path (as <see cref="FieldPaths"/> names it) from an object, and the maps it leaves empty.</summary>
internal static class FieldRemoval
{
    public static void Remove(JsonObject obj, string path)
    {
        var parts = path.Split(FieldPaths.Separator);
        var trail = new List<(JsonNode Container, string Part)>();
        JsonNode? node = obj;
        foreach (var part in parts)
        {
            if (node is null)
            {
                return;
            }

            trail.Add((node, part));
            node = Step(node, part);
        }

        if (node is null && !Exists(trail[^1]))
        {
            return;
        }

        // Remove the leaf, then the maps it emptied on the way up (never a top-level field such as spec).
        Detach(trail[^1]);
        for (var i = trail.Count - 1; i >= 2 && trail[i].Container is JsonObject { Count: 0 }; i--)
        {
            Detach(trail[i - 1]);
        }
    }

    private static JsonNode? Step(JsonNode node, string part) => (node, part[0]) switch
    {
        (JsonObject map, 'f') => map[part[2..]],
        (JsonArray list, 'k') => list.FirstOrDefault(i => i is JsonObject item && Matches(item, part[2..])),
        (JsonArray list, 'v') => list.FirstOrDefault(i => i?.ToJsonString() == part[2..]),
        _ => null,
    };

    private static bool Exists((JsonNode Container, string Part) at) => at.Container is JsonObject map && at.Part[0] == 'f' && map.ContainsKey(at.Part[2..]);

    private static void Detach((JsonNode Container, string Part) at)
    {
        switch (at.Container)
        {
            case JsonObject map when at.Part[0] == 'f':
                map.Remove(at.Part[2..]);
                break;
            case JsonArray list when Step(list, at.Part) is { } item:
                list.Remove(item);
                break;
        }
    }

    private static bool Matches(JsonObject item, string key) =>
        JsonNode.Parse(key) is JsonObject wanted && wanted.All(kv => JsonNode.DeepEquals(item[kv.Key], kv.Value));
}
