using System.Text;
using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Emulator.Fields;

/// <summary>Which part of an object a write may touch: the main resource (all but status), the status subresource, or all.</summary>
internal enum FieldScope
{
    Main,
    Status,
    All,
}

/// <summary>
/// The fields of an object as server-side apply names them (the FieldsV1 keys: <c>f:name</c>, <c>k:{"name":"fe"}</c>
/// for an item of a keyed list, <c>v:"x"</c> for a value of a set), one path per leaf or list item, each joined by
/// <see cref="Separator"/>. Leaves map to their value, list items to null (owned as items, not compared).
/// </summary>
internal static class FieldPaths
{
    public const char Separator = '\u0001';

    // Metadata the server owns or identifies the object by: never part of a manager's fields.
    private static readonly HashSet<string> ServerMetadata = new(StringComparer.Ordinal)
    {
        "name", "namespace", "generateName", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink",
    };

    public static Dictionary<string, JsonNode?> Of(JsonObject obj, FieldSchema schema, FieldScope scope, bool hasStatusSubresource)
    {
        var into = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            var isStatus = key == "status" && hasStatusSubresource;
            if (key is "apiVersion" or "kind" || (scope != FieldScope.All && isStatus != (scope == FieldScope.Status)))
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject meta)
            {
                foreach (var (name, field) in meta)
                {
                    if (!ServerMetadata.Contains(name))
                    {
                        Walk(field, "f:metadata" + Separator + "f:" + name, name, FieldSchema.BuiltIn, into);
                    }
                }

                continue;
            }

            Walk(value, "f:" + key, key, schema.Property(key), into);
        }

        return into;
    }

    /// <summary>The path as kubectl shows it in a conflict: <c>.spec.template.spec.containers[name="be"].image</c>.</summary>
    public static string Display(string path)
    {
        var text = new StringBuilder();
        foreach (var part in path.Split(Separator))
        {
            var body = part[2..];
            _ = part[0] switch
            {
                'f' => text.Append('.').Append(body),
                'k' => text.Append('[').Append(string.Join(',', (JsonNode.Parse(body) as JsonObject ?? []).Select(kv => $"{kv.Key}={kv.Value?.ToJsonString()}"))).Append(']'),
                'v' => text.Append('[').Append('=').Append(body).Append(']'),
                _ => text.Append('[').Append(body).Append(']'),
            };
        }

        return text.ToString();
    }

    private static void Walk(JsonNode? value, string path, string field, FieldSchema schema, Dictionary<string, JsonNode?> into)
    {
        switch (value)
        {
            case JsonObject map when map.Count > 0:
                foreach (var (key, child) in map)
                {
                    Walk(child, path + Separator + "f:" + key, key, schema.Property(key), into);
                }

                break;
            case JsonArray list when list.Count > 0:
                var (kind, keys) = schema.ListOf(field, list);
                if (kind == ListKind.Set && list.All(i => i is JsonValue))
                {
                    foreach (var item in list)
                    {
                        into[path + Separator + "v:" + item!.ToJsonString()] = item;
                    }
                }
                else if (kind == ListKind.Map && list.All(i => i is JsonObject o && o[keys[0]] is not null))
                {
                    var items = schema.Items();
                    foreach (JsonObject item in list.Cast<JsonObject>())
                    {
                        var itemPath = path + Separator + "k:" + ItemKey(item, keys);
                        into[itemPath] = null;
                        foreach (var (key, child) in item)
                        {
                            Walk(child, itemPath + Separator + "f:" + key, key, items.Property(key), into);
                        }
                    }
                }
                else
                {
                    into[path] = list;
                }

                break;
            default:
                into[path] = value;
                break;
        }
    }

    /// <summary>The key of a keyed-list item: its key fields in key order, those it has.</summary>
    public static string ItemKey(JsonObject item, IReadOnlyList<string> keys)
    {
        var key = new JsonObject();
        foreach (var name in keys)
        {
            if (item[name] is { } v)
            {
                key[name] = v.DeepClone();
            }
        }

        return key.ToJsonString();
    }
}
