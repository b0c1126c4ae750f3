using System.Text.Json.Nodes;

namespace Doris.Api.Tests;

/// <summary>Walks an OpenAPI v3 schema, for comparing our CRDs with upstream's.</summary>
internal static class CrdSchema
{
    public static IEnumerable<(string Path, JsonObject Schema)> Fields(JsonNode schema, string path)
    {
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                yield return (path + "." + name, (JsonObject)child!);
                foreach (var inner in Fields(child!, path + "." + name))
                {
                    yield return inner;
                }
            }
        }

        foreach (var nested in new[] { "items", "additionalProperties" })
        {
            if (schema[nested] is JsonObject child)
            {
                foreach (var inner in Fields(child, path + "[]"))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Every schema node by property path (<c>.spec.feSpec.envVars[]</c>), walking properties, items and additionalProperties.</summary>
    public static Dictionary<string, JsonNode> Paths(JsonNode schema)
    {
        var result = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        void Walk(JsonNode node, string path)
        {
            result[path] = node;
            foreach (var (k, child) in node["properties"] as JsonObject ?? [])
            {
                Walk(child!, $"{path}.{k}");
            }

            if (node["items"] is JsonObject items)
            {
                Walk(items, path + "[]");
            }

            if (node["additionalProperties"] is JsonObject additional)
            {
                Walk(additional, path + "{}");
            }
        }

        Walk(schema, string.Empty);
        return result;
    }

    /// <summary>Where our schema is looser than upstream's: a required field, minimum, pattern, type or format lost.</summary>
    public static List<string> StrictnessProblems(JsonNode upstream, JsonNode ours)
    {
        var mineByPath = Paths(ours);
        var problems = new List<string>();
        foreach (var (path, theirs) in Paths(upstream))
        {
            if (!mineByPath.TryGetValue(path, out var mine))
            {
                problems.Add($"{path}: upstream has it, we do not");
                continue;
            }

            foreach (var required in theirs["required"]?.AsArray().Select(r => (string)r!) ?? [])
            {
                if (mine["required"]?.AsArray().Any(r => (string?)r == required) != true)
                {
                    problems.Add($"{path}: upstream requires '{required}', we do not");
                }
            }

            if (theirs["minimum"] is { } min && (mine["minimum"] is not { } ourMin || ourMin.GetValue<long>() < min.GetValue<long>()))
            {
                problems.Add($"{path}: upstream has minimum {min}, we have {mine["minimum"]?.ToJsonString() ?? "none"}");
            }

            foreach (var key in new[] { "pattern", "x-kubernetes-int-or-string", "type", "format" })
            {
                if (theirs[key] is { } value && mine[key]?.ToJsonString() != value.ToJsonString())
                {
                    problems.Add($"{path}: upstream {key} {value.ToJsonString()}, ours {mine[key]?.ToJsonString() ?? "none"}");
                }
            }

            if (theirs["type"] is not null && (string?)theirs["type"] == "object" && theirs["properties"] is not null && mine["x-kubernetes-preserve-unknown-fields"] is not null)
            {
                problems.Add($"{path}: upstream rejects unknown fields here, ours preserves them");
            }
        }

        return problems;
    }
}
