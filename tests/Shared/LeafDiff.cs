using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doris.Testing;

/// <summary>
/// One leaf that differs between two renders of the same object (<c>Kind/name</c>): null on a side means the leaf is
/// absent there. A whole object rendered on one side only is one difference with an empty path.
/// </summary>
internal sealed record LeafDiff(string Object, string Path, string? Upstream, string? Ours)
{
    public string Kind => Object[..Object.IndexOf('/', StringComparison.Ordinal)];

    public override string ToString() => $"{Object} {(Path.Length == 0 ? "(whole object)" : Path)}: upstream {Upstream ?? "<absent>"}, ours {Ours ?? "<absent>"}";

    /// <summary>
    /// Compares leaf by leaf. Lists compare by position: order is part of what upstream renders (env, mounts,
    /// affinity terms), and a pod template whose lists are reordered rolls every pod.
    /// </summary>
    public static List<LeafDiff> Between(IReadOnlyDictionary<string, JsonObject> upstream, IReadOnlyDictionary<string, JsonObject> ours)
    {
        var found = new List<LeafDiff>();
        foreach (var name in upstream.Keys.Union(ours.Keys).Order(StringComparer.Ordinal))
        {
            upstream.TryGetValue(name, out var u);
            ours.TryGetValue(name, out var o);
            if (u is null || o is null)
            {
                found.Add(new LeafDiff(name, "", u is null ? null : "object", o is null ? null : "object"));
                continue;
            }

            var left = Leaves(u);
            var right = Leaves(o);
            foreach (var path in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
            {
                left.TryGetValue(path, out var l);
                right.TryGetValue(path, out var r);
                if (l != r)
                {
                    found.Add(new LeafDiff(name, path, l, r));
                }
            }
        }

        return found;
    }

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static Dictionary<string, string> Leaves(JsonNode node)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(node, "", leaves);
        return leaves;
    }

    private static void Walk(JsonNode? node, string path, Dictionary<string, string> into)
    {
        switch (node)
        {
            case JsonObject map when map.Count > 0:
                foreach (var (key, value) in map)
                {
                    Walk(value, path.Length == 0 ? key : $"{path}.{key}", into);
                }

                break;
            case JsonArray list when list.Count > 0:
                for (var i = 0; i < list.Count; i++)
                {
                    Walk(list[i], $"{path}[{i}]", into);
                }

                break;
            case null:
                break; // an explicit null is the same as an absent field to the API server
            default:
                // Empty maps and lists are kept as leaves: `emptyDir: {}` means something.
                // Kept as JSON so a number and a string ("9030" in an env value) stay apart.
                into[path] = node.ToJsonString(Relaxed);
                break;
        }
    }
}
