using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>
/// Strategic merge patch for built-in kinds, as kubectl apply and kubectl edit send it: lists of maps are merged
/// by their merge key (containers by name, volume mounts by mountPath, ...), primitive lists with the merge strategy
/// (finalizers) are unioned, other lists are replaced. Directives: <c>$patch: delete|replace|merge</c>,
/// <c>$setElementOrder/&lt;list&gt;</c>, <c>$retainKeys</c>, <c>$deleteFromPrimitiveList/&lt;list&gt;</c>; a null
/// deletes a key. The merge keys are those of the Kubernetes OpenAPI (<c>x-kubernetes-patch-merge-key</c>) for the
/// fields our kinds carry; a test checks the table against the published schema (StrategicMergeTests).
/// </summary>
internal static class StrategicMerge
{
    /// <summary>Field name → merge key, for lists whose patch strategy is merge. Context decides <c>ports</c>.</summary>
    internal static readonly IReadOnlyDictionary<string, string> MergeKeys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["env"] = "name",
        ["imagePullSecrets"] = "name",
        ["ownerReferences"] = "uid",
        ["conditions"] = "type",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
        ["resourceClaims"] = "name",
        ["schedulingGates"] = "name",
    };

    /// <summary>Primitive lists whose patch strategy is merge: patched values are added, not replacing the list.</summary>
    internal static readonly IReadOnlySet<string> MergedPrimitiveLists = new HashSet<string>(StringComparer.Ordinal) { "finalizers" };

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => patch is JsonObject p ? MergeMap(target as JsonObject, p) : patch?.DeepClone();

    private static JsonObject? MergeMap(JsonObject? target, JsonObject patch)
    {
        var directive = Str(patch["$patch"]);
        switch (directive)
        {
            case "delete":
                return null;
            case "replace":
                var replaced = (JsonObject)patch.DeepClone();
                replaced.Remove("$patch");
                return replaced;
            case null or "merge":
                break;
            default:
                throw ApiError.BadRequest($"Unknown patch type: {directive} in map");
        }

        var result = target is null ? new JsonObject() : (JsonObject)target.DeepClone();
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(Str).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(kv => kv.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal) || key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal) || key is "$patch" or "$retainKeys")
            {
                continue;
            }

            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var merged = (result[key], value) switch
            {
                (JsonObject current, JsonObject sub) => MergeMap(current, sub),
                (JsonArray current, JsonArray list) => MergeList(key, current, list),
                (null, JsonObject sub) => MergeMap(null, sub),
                (null, JsonArray list) => MergeList(key, [], list),
                _ => value.DeepClone(),
            };
            if (merged is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = merged;
            }
        }

        foreach (var (key, value) in patch.Where(kv => kv.Key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal)))
        {
            var field = key["$deleteFromPrimitiveList/".Length..];
            if (result[field] is JsonArray list && value is JsonArray remove)
            {
                result[field] = new JsonArray([.. list.Where(x => !remove.Any(r => JsonNode.DeepEquals(r, x))).Select(x => x?.DeepClone())]);
            }
        }

        foreach (var (key, value) in patch.Where(kv => kv.Key.StartsWith("$setElementOrder/", StringComparison.Ordinal)))
        {
            var field = key["$setElementOrder/".Length..];
            if (result[field] is JsonArray list && value is JsonArray order)
            {
                result[field] = Ordered(field, list, order);
            }
        }

        return result;
    }

    private static JsonArray MergeList(string field, JsonArray current, JsonArray patch)
    {
        if (patch.Count == 1 && patch[0] is JsonObject only && Str(only["$patch"]) == "replace")
        {
            return []; // [{"$patch": "replace"}] alone: the list becomes empty
        }

        if (MergedPrimitiveLists.Contains(field) && patch.All(x => x is JsonValue))
        {
            var union = new JsonArray([.. current.Select(x => x?.DeepClone())]);
            foreach (var value in patch.Where(v => !current.Any(c => JsonNode.DeepEquals(c, v))))
            {
                union.Add(value!.DeepClone());
            }

            return union;
        }

        var mergeKey = KeyFor(field, current, patch);
        if (mergeKey is null || patch.Any(x => x is not JsonObject))
        {
            // No merge strategy: the patch's list replaces the live one (directives in it are not data).
            return new JsonArray([.. patch.Where(x => x is not JsonObject o || Str(o["$patch"]) is null).Select(x => x?.DeepClone())]);
        }

        if (patch.OfType<JsonObject>().Any(o => Str(o["$patch"]) == "replace"))
        {
            return new JsonArray([.. patch.OfType<JsonObject>().Where(o => Str(o["$patch"]) is null).Select(o => o.DeepClone())]);
        }

        // Positions by merge key, so a patch of n items on a list of m is n + m work, not n × m.
        var items = current.Select(x => x?.DeepClone()).ToList();
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            at.TryAdd(Id(items[i], mergeKey), i);
        }

        foreach (var item in patch.OfType<JsonObject>())
        {
            var found = at.TryGetValue(Id(item, mergeKey), out var index) && items[index] is not null;
            if (Str(item["$patch"]) == "delete")
            {
                if (found)
                {
                    items[index] = null; // compacted below, so later positions stay valid
                }

                continue;
            }

            if (found)
            {
                items[index] = MergeMap((JsonObject)items[index]!, item);
            }
            else if (MergeMap(null, item) is { } added)
            {
                at[Id(item, mergeKey)] = items.Count;
                items.Add(added);
            }
        }

        return new JsonArray([.. items.Where(x => x is not null)]);
    }

    // $setElementOrder lists the merge keys in the wanted order; items it does not name keep their place at the end.
    private static JsonArray Ordered(string field, JsonArray list, JsonArray order)
    {
        var mergeKey = KeyFor(field, list, order);
        if (mergeKey is null)
        {
            return list;
        }

        var remaining = list.Select(x => x?.DeepClone()).ToList();
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < remaining.Count; i++)
        {
            at.TryAdd(Id(remaining[i], mergeKey), i);
        }

        var ordered = new JsonArray();
        foreach (var wanted in order.OfType<JsonObject>())
        {
            if (at.Remove(Id(wanted, mergeKey), out var i) && remaining[i] is { } item)
            {
                ordered.Add(item);
                remaining[i] = null;
            }
        }

        foreach (var rest in remaining.Where(x => x is not null))
        {
            ordered.Add(rest);
        }

        return ordered;
    }

    private static string? KeyFor(string field, JsonArray current, JsonArray patch)
    {
        if (field == "ports")
        {
            // Container ports merge on containerPort, Service ports on port.
            var sample = current.Concat(patch).OfType<JsonObject>().FirstOrDefault();
            return sample?["containerPort"] is not null ? "containerPort" : sample?["port"] is not null ? "port" : null;
        }

        return MergeKeys.GetValueOrDefault(field);
    }

    private static string Id(JsonNode? item, string key) => (item as JsonObject)?[key]?.ToJsonString() ?? "null";

    private static string? Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
