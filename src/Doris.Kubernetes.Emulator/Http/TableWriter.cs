using System.Globalization;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>
/// <c>meta.k8s.io/v1 Table</c> responses for <c>kubectl get</c>: Name and Age, plus a custom resource's
/// additionalPrinterColumns (simple <c>.a.b.c</c> JSONPaths and <c>[?(@.type=="X")]</c> filters).
/// </summary>
internal static class TableWriter
{
    public static JsonObject Write(IReadOnlyList<JsonObject> items, JsonObject? crdVersion, long resourceVersion, TimeProvider time)
    {
        var columns = new JsonArray(Column("Name", "string", "name"));
        var custom = (crdVersion?["additionalPrinterColumns"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        foreach (var c in custom.Where(c => ObjectStore.Str(c["jsonPath"]) != ".metadata.creationTimestamp"))
        {
            columns.Add((JsonNode)Column(ObjectStore.Str(c["name"]) ?? string.Empty, ObjectStore.Str(c["type"]) ?? "string", ObjectStore.Str(c["description"]) ?? string.Empty));
        }

        columns.Add((JsonNode)Column("Age", "string", "age"));
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var cells = new JsonArray(ObjectStore.Str(item["metadata"]?["name"]));
            foreach (var c in custom.Where(c => ObjectStore.Str(c["jsonPath"]) != ".metadata.creationTimestamp"))
            {
                cells.Add(Evaluate(item, ObjectStore.Str(c["jsonPath"]) ?? string.Empty)?.DeepClone() ?? JsonValue.Create("<none>"));
            }

            cells.Add((JsonNode)JsonValue.Create(Age(item, time)));
            rows.Add((JsonNode)new JsonObject
            {
                ["cells"] = cells,
                ["object"] = new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = item["metadata"]?.DeepClone() },
            });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    private static JsonObject Column(string name, string type, string description) =>
        new() { ["name"] = name, ["type"] = type, ["format"] = name == "Name" ? "name" : string.Empty, ["description"] = description, ["priority"] = 0 };

    internal static JsonNode? Evaluate(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var part in Segments(path.TrimStart('.')))
        {
            var filter = part.IndexOf("[?(@.", StringComparison.Ordinal);
            var name = filter >= 0 ? part[..filter] : part;
            node = node?[name];
            if (filter >= 0 && node is JsonArray array)
            {
                // [?(@.type=="Ready")]
                var expression = part[(filter + 5)..part.LastIndexOf(")]", StringComparison.Ordinal)];
                var eq = expression.IndexOf("==", StringComparison.Ordinal);
                var (field, value) = (expression[..eq], expression[(eq + 2)..].Trim('"', '\''));
                node = array.FirstOrDefault(e => ObjectStore.Str(e?[field]) == value);
            }
        }

        return node;
    }

    /// <summary>Splits a JSONPath on dots outside brackets, so <c>conditions[?(@.type=="Ready")].status</c> stays whole.</summary>
    private static IEnumerable<string> Segments(string path)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < path.Length; i++)
        {
            depth += path[i] switch { '[' => 1, ']' => -1, _ => 0 };
            if (path[i] == '.' && depth == 0)
            {
                if (i > start)
                {
                    yield return path[start..i];
                }

                start = i + 1;
            }
        }

        if (start < path.Length)
        {
            yield return path[start..];
        }
    }

    private static string Age(JsonObject item, TimeProvider time)
    {
        if (!DateTimeOffset.TryParse(ObjectStore.Str(item["metadata"]?["creationTimestamp"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created))
        {
            return "<unknown>";
        }

        var age = time.GetUtcNow() - created;
        return age.TotalDays >= 1 ? $"{(int)age.TotalDays}d" : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h" : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes}m" : $"{Math.Max(0, (int)age.TotalSeconds)}s";
    }
}
