using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Emulator.Fields;

/// <summary>
/// The FieldsV1 encoding of a set of field paths (what <c>managedFields[].fieldsV1</c> holds): a tree of keys in which
/// an empty object is a member and <c>".": {}</c> marks a member that also has members below it.
/// </summary>
internal static class FieldsV1
{
    public static HashSet<string> Read(JsonNode? node)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (node is JsonObject root)
        {
            Read(root, null, set);
        }

        return set;
    }

    public static JsonObject Write(IEnumerable<string> paths)
    {
        var root = new Node();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var part in path.Split(FieldPaths.Separator))
            {
                node = node.Children.TryGetValue(part, out var child) ? child : node.Children[part] = new Node();
            }

            node.Member = true;
        }

        return root.ToJson();
    }

    private static void Read(JsonObject node, string? prefix, HashSet<string> into)
    {
        foreach (var (key, child) in node)
        {
            if (key == ".")
            {
                if (prefix is not null)
                {
                    into.Add(prefix);
                }

                continue;
            }

            // Only the encodings a field path can have; anything else is a corrupt entry and is not followed.
            if (key.Length < 2 || key[1] != ':' || key[0] is not ('f' or 'k' or 'v' or 'i'))
            {
                continue;
            }

            var path = prefix is null ? key : prefix + FieldPaths.Separator + key;
            if (child is JsonObject { Count: > 0 } inner)
            {
                Read(inner, path, into);
            }
            else
            {
                into.Add(path);
            }
        }
    }

    private sealed class Node
    {
        public SortedDictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public bool Member { get; set; }

        public JsonObject ToJson()
        {
            var json = new JsonObject();
            if (Member && Children.Count > 0)
            {
                json["."] = new JsonObject();
            }

            foreach (var (key, child) in Children)
            {
                json[key] = child.ToJson();
            }

            return json;
        }
    }
}
