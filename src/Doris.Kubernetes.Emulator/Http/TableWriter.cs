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
    /// <summary>A Table for a built-in kind's columns, else Name, the CRD's printer columns and Age.</summary>
    public static JsonObject Write(ResourceType type, IReadOnlyList<JsonObject> items, JsonObject? crdVersion, long resourceVersion, TimeProvider time, string? includeObject = null) =>
        BuiltInColumns.For(type) is { } builtIn
            ? WriteBuiltIn(builtIn, items, resourceVersion, time, includeObject)
            : Write(items, crdVersion, resourceVersion, time, includeObject);

    private static JsonObject WriteBuiltIn(IReadOnlyList<BuiltInColumns.Column> columns, IReadOnlyList<JsonObject> items, long resourceVersion, TimeProvider time, string? includeObject)
    {
        var rows = new JsonArray();
        foreach (var item in items)
        {
            rows.Add((JsonNode)Row(new JsonArray([.. columns.Select(c => c.Value(item, time) is { } v ? v.DeepClone() : JsonValue.Create("<none>"))]), item, includeObject));
        }

        return Table(new JsonArray([.. columns.Select(c => (JsonNode)Column(c.Name, c.Type, c.Name, c.Priority))]), rows, resourceVersion);
    }

    // includeObject: Metadata (default) sends PartialObjectMetadata, Object the whole object, None nothing.
    private static JsonObject Row(JsonArray cells, JsonObject item, string? includeObject) => includeObject switch
    {
        "None" => new JsonObject { ["cells"] = cells },
        "Object" => new JsonObject { ["cells"] = cells, ["object"] = item.DeepClone() },
        _ => new JsonObject { ["cells"] = cells, ["object"] = new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = item["metadata"]?.DeepClone() } },
    };

    private static JsonObject Table(JsonArray columns, JsonArray rows, long resourceVersion) => new()
    {
        ["kind"] = "Table",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
        ["columnDefinitions"] = columns,
        ["rows"] = rows,
    };

    public static JsonObject Write(IReadOnlyList<JsonObject> items, JsonObject? crdVersion, long resourceVersion, TimeProvider time, string? includeObject = null)
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

            cells.Add((JsonNode)JsonValue.Create(AgeOf(ObjectStore.Str(item["metadata"]?["creationTimestamp"]), time)));
            rows.Add((JsonNode)Row(cells, item, includeObject));
        }

        return Table(columns, rows, resourceVersion);
    }

    private static JsonObject Column(string name, string type, string description, int priority = 0) =>
        new() { ["name"] = name, ["type"] = type, ["format"] = name == "Name" ? "name" : string.Empty, ["description"] = description, ["priority"] = priority };

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

    internal static string AgeOf(string? timestamp, TimeProvider time)
    {
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created))
        {
            return "<unknown>";
        }

        var age = time.GetUtcNow() - created;
        return age.TotalDays >= 1 ? $"{(int)age.TotalDays}d" : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h" : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes}m" : $"{Math.Max(0, (int)age.TotalSeconds)}s";
    }
}
