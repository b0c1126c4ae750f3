using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>
/// The metadata checks kube-apiserver makes on every write, before anything is stored: a request refused here
/// changes nothing, and the store can rely on the shapes it walks (owner references, finalizers, labels).
/// </summary>
internal static class ObjectMetaRules
{
    private static readonly string[] Policies = ["Orphan", "Background", "Foreground"];

    public static JsonObject Check(ResourceType type, JsonObject obj)
    {
        var problems = new List<string>();
        var meta = obj["metadata"];
        if (meta is not null and not JsonObject)
        {
            problems.Add("metadata: Invalid value: must be an object");
        }
        else if (meta is JsonObject m)
        {
            Strings(m, "name", problems);
            Strings(m, "generateName", problems);
            Strings(m, "namespace", problems);
            StringMap(m, "labels", problems);
            StringMap(m, "annotations", problems);
            if (m["finalizers"] is { } finalizers && (finalizers is not JsonArray list || list.Any(f => !IsString(f))))
            {
                problems.Add("metadata.finalizers: Invalid value: must be a list of strings");
            }

            if (m["ownerReferences"] is { } owners)
            {
                OwnerReferences(owners, problems);
            }
        }

        if (problems.Count > 0)
        {
            throw ApiError.Invalid(type, ObjectStore.Str((meta as JsonObject)?["name"]) ?? string.Empty, [.. problems.Select(p => new ApiError.Cause(p[..p.IndexOf(": ", StringComparison.Ordinal)], p[(p.IndexOf(": ", StringComparison.Ordinal) + 2)..], p.Contains("Required value", StringComparison.Ordinal) ? "FieldValueRequired" : "FieldValueInvalid"))]);
        }

        return obj;
    }

    /// <summary>DeleteOptions.propagationPolicy: one of three words, else 400 before anything is deleted.</summary>
    public static string? PropagationPolicy(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && Policies.Contains(v.GetValue<string>()) => v.GetValue<string>(),
        _ => throw ApiError.BadRequest($"propagationPolicy: Unsupported value: {value.ToJsonString()}: supported values: \"Foreground\", \"Background\", \"Orphan\""),
    };

    private static void OwnerReferences(JsonNode owners, List<string> problems)
    {
        if (owners is not JsonArray list)
        {
            problems.Add("metadata.ownerReferences: Invalid value: must be a list");
            return;
        }

        for (var i = 0; i < list.Count; i++)
        {
            var path = $"metadata.ownerReferences[{i}]";
            if (list[i] is not JsonObject owner)
            {
                problems.Add($"{path}: Invalid value: must be an object with apiVersion, kind, name and uid");
                continue;
            }

            foreach (var field in new[] { "apiVersion", "kind", "name", "uid" })
            {
                if (owner[field] is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>().Length == 0)
                {
                    problems.Add($"{path}.{field}: Required value: a non-empty string");
                }
            }

            foreach (var flag in new[] { "controller", "blockOwnerDeletion" })
            {
                if (owner[flag] is { } b && b.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    problems.Add($"{path}.{flag}: Invalid value: must be true or false");
                }
            }
        }

        if (list.OfType<JsonObject>().Count(o => o["controller"]?.GetValueKind() == JsonValueKind.True) > 1)
        {
            problems.Add("metadata.ownerReferences: Invalid value: Only one reference can have Controller set to true");
        }
    }

    private static void Strings(JsonObject meta, string field, List<string> problems)
    {
        if (meta[field] is { } value && !IsString(value))
        {
            problems.Add($"metadata.{field}: Invalid value: must be a string");
        }
    }

    private static void StringMap(JsonObject meta, string field, List<string> problems)
    {
        if (meta[field] is { } value && (value is not JsonObject map || map.Any(kv => !IsString(kv.Value))))
        {
            problems.Add($"metadata.{field}: Invalid value: must be a map of strings");
        }
    }

    private static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;
}
