using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doris.Testing;

internal static class Json
{
    /// <summary>Every leaf of a JSON tree as path = scalar text, so two trees can be compared field by field.</summary>
    public static SortedDictionary<string, string> Leaves(JsonNode? node)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(node, string.Empty, result);
        return result;
    }

    private static void Walk(JsonNode? node, string path, SortedDictionary<string, string> into)
    {
        switch (node)
        {
            case JsonObject o:
                if (o.Count == 0)
                {
                    into[path] = "{}";
                }

                foreach (var (k, v) in o)
                {
                    Walk(v, path.Length == 0 ? k : $"{path}.{k}", into);
                }

                break;
            case JsonArray a:
                if (a.Count == 0)
                {
                    into[path] = "[]";
                }

                for (var i = 0; i < a.Count; i++)
                {
                    Walk(a[i], $"{path}[{i}]", into);
                }

                break;
            case null:
                into[path] = "null";
                break;
            default:
                // Scalars compare by their text, so a quantity written as a number (cpu: 8) equals the string "8".
                into[path] = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
                break;
        }
    }
}
