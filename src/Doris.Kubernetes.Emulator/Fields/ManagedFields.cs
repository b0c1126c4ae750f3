using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;

namespace Doris.Kubernetes.Emulator.Fields;

/// <summary>Who writes, as <c>managedFields</c> records it.</summary>
/// <param name="Manager">The fieldManager query parameter, else the client's User-Agent up to its first '/'.</param>
/// <param name="Subresource">The subresource written (status owns only status; scale writes spec.replicas).</param>
internal sealed record FieldWriter(string Manager, string ApiVersion, string Time, FieldSchema Schema, bool HasStatusSubresource, string? Subresource)
{
    public FieldScope Scope => Subresource == "status" ? FieldScope.Status : FieldScope.Main;
}

/// <summary>
/// Field ownership as kube-apiserver keeps it in <c>metadata.managedFields</c>: an ordinary write (create, update,
/// patch) makes its manager the owner of every field it changed; a server-side apply makes its manager the owner of
/// exactly the fields it applied, refuses (409) to change a field another manager owns unless forced, and removes
/// the fields it applied before and no longer applies when no one else owns them.
/// </summary>
internal static class ManagedFields
{
    private const string Update = "Update";
    private const string ApplyOperation = "Apply";

    /// <summary>Records an ordinary write, in place on <paramref name="next"/> (the object about to be stored).</summary>
    public static void RecordUpdate(JsonObject? old, JsonObject next, FieldWriter writer)
    {
        var entries = Base(old, next);
        var now = FieldPaths.Of(next, writer.Schema, writer.Scope, writer.HasStatusSubresource);
        var before = old is null ? [] : FieldPaths.Of(old, writer.Schema, writer.Scope, writer.HasStatusSubresource);
        var changed = now.Where(kv => !before.TryGetValue(kv.Key, out var was) || (kv.Value is not null && !JsonNode.DeepEquals(was, kv.Value)))
            .Select(kv => kv.Key)
            .ToHashSet(StringComparer.Ordinal);
        if (changed.Count > 0)
        {
            var own = Own(entries, writer, Update);
            foreach (var entry in entries.Where(e => e != own))
            {
                entry.Fields.ExceptWith(changed);
            }

            own.Fields.UnionWith(changed);
            own.Time = writer.Time;
        }

        // Without a status subresource the write's scope is the whole object: its paths are already known.
        Save(next, entries, writer, writer.HasStatusSubresource ? null : now);
    }

    /// <summary>
    /// Server-side apply: checks <paramref name="applied"/> against the other managers of <paramref name="live"/>,
    /// removes from <paramref name="merged"/> what this manager stopped applying, and records the ownership on it.
    /// </summary>
    public static void Apply(JsonObject? live, JsonObject applied, JsonObject merged, FieldWriter writer, bool force, ResourceType type, string name)
    {
        var entries = live is null ? [] : Read(live);
        var want = FieldPaths.Of(applied, writer.Schema, writer.Scope, writer.HasStatusSubresource);
        var have = live is null ? [] : FieldPaths.Of(live, writer.Schema, writer.Scope, writer.HasStatusSubresource);
        var conflicts = new List<(Entry Entry, string Path)>();
        var own = Own(entries, writer, ApplyOperation);

        // As kube-apiserver: a manager is its name with its operation and subresource, so the same client's
        // ordinary writes (kubectl scale) conflict with its applies.
        foreach (var entry in entries.Where(e => e != own))
        {
            foreach (var path in entry.Fields)
            {
                if (want.TryGetValue(path, out var value) && value is not null && have.TryGetValue(path, out var current) && !JsonNode.DeepEquals(value, current))
                {
                    conflicts.Add((entry, path));
                }
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            throw ConflictError(conflicts, type, name);
        }

        foreach (var (entry, path) in conflicts)
        {
            entry.Fields.Remove(path);
        }

        var othersOwn = entries.Where(e => e != own).SelectMany(e => e.Fields).ToHashSet(StringComparer.Ordinal);
        var dropped = own.Fields
            .Where(p => !want.ContainsKey(p) && !othersOwn.Contains(p) && !othersOwn.Any(o => o.StartsWith(p + FieldPaths.Separator, StringComparison.Ordinal)))
            .OrderBy(p => p.Length)
            .ToList();
        var removed = new List<string>();
        foreach (var path in dropped.Where(p => !removed.Any(r => p.StartsWith(r + FieldPaths.Separator, StringComparison.Ordinal))))
        {
            // A dropped list item goes whole; its own fields go with it (removing them first would lose its key).
            FieldRemoval.Remove(merged, path);
            removed.Add(path);
        }

        // A re-apply that changes nothing leaves the object as it was (no new time, no new resourceVersion).
        if (live is null || !own.Fields.SetEquals(want.Keys) || !JsonNode.DeepEquals(merged, live))
        {
            own.Time = writer.Time;
        }

        own.Fields.Clear();
        own.Fields.UnionWith(want.Keys);
        Save(merged, entries, writer);
    }

    /// <summary>The entries a write starts from: the stored ones, unless the request sets its own (<c>[{}]</c> resets them).</summary>
    private static List<Entry> Base(JsonObject? old, JsonObject next)
    {
        var supplied = next["metadata"]?["managedFields"] as JsonArray;
        if (supplied is null or { Count: 0 })
        {
            return old is null ? [] : Read(old);
        }

        return supplied is [JsonObject { Count: 0 }] ? [] : Read(next);
    }

    private static Entry Own(List<Entry> entries, FieldWriter writer, string operation)
    {
        var own = entries.FirstOrDefault(e => e.Manager == writer.Manager && e.Operation == operation && e.Subresource == writer.Subresource);
        if (own is null)
        {
            own = new Entry(writer.Manager, operation, writer.ApiVersion, writer.Subresource) { Time = writer.Time };
            entries.Add(own);
        }

        return own;
    }

    // Fields that are gone from the object are owned by no one; a manager left with nothing is dropped.
    private static void Save(JsonObject obj, List<Entry> entries, FieldWriter writer, Dictionary<string, JsonNode?>? known = null)
    {
        var present = known ?? FieldPaths.Of(obj, writer.Schema, FieldScope.All, writer.HasStatusSubresource);
        var kept = new JsonArray();
        foreach (var entry in entries)
        {
            entry.Fields.IntersectWith(present.Keys);
            if (entry.Fields.Count > 0)
            {
                kept.Add((JsonNode)entry.ToJson());
            }
        }

        var meta = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = meta;
        if (kept.Count > 0)
        {
            meta["managedFields"] = kept;
        }
        else
        {
            meta.Remove("managedFields");
        }
    }

    private static List<Entry> Read(JsonObject obj) =>
        (obj["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(e => e["manager"] is JsonValue)
            .Select(e => new Entry(ObjectStore.Str(e["manager"])!, ObjectStore.Str(e["operation"]) ?? Update, ObjectStore.Str(e["apiVersion"]) ?? string.Empty, ObjectStore.Str(e["subresource"]))
            {
                Time = ObjectStore.Str(e["time"]),
                Fields = FieldsV1.Read(e["fieldsV1"]),
            })
            .ToList();

    private static ApiError ConflictError(List<(Entry Entry, string Path)> conflicts, ResourceType type, string name)
    {
        var lines = conflicts.Select(c => (Manager: c.Entry.Describe(), Field: FieldPaths.Display(c.Path))).ToList();
        var message = lines.Count == 1
            ? $"Apply failed with 1 conflict: conflict with {lines[0].Manager}: {lines[0].Field}"
            : $"Apply failed with {lines.Count} conflicts: " + string.Join("\n", lines.GroupBy(l => l.Manager).Select(g => $"conflicts with {g.Key}:\n" + string.Join("\n", g.Select(l => "- " + l.Field))));
        return new ApiError(409, "Conflict", message, type, name)
        {
            Causes = [.. lines.Select(l => new ApiError.Cause(l.Field, $"conflict with {l.Manager}", "FieldManagerConflict"))],
        };
    }

    private sealed record Entry(string Manager, string Operation, string ApiVersion, string? Subresource)
    {
        public string? Time { get; set; }

        public HashSet<string> Fields { get; init; } = new(StringComparer.Ordinal);

        /// <summary>The manager as kube-apiserver names it in a conflict: <c>"kubectl" with subresource "scale" using apps/v1 at ...</c>.</summary>
        public string Describe()
        {
            var text = $"\"{Manager}\"";
            if (Subresource is not null)
            {
                text += $" with subresource \"{Subresource}\"";
            }

            return Operation == Update ? text + $" using {ApiVersion}" + (Time is null ? string.Empty : $" at {Time}") : text;
        }

        public JsonObject ToJson()
        {
            var json = new JsonObject
            {
                ["manager"] = Manager,
                ["operation"] = Operation,
                ["apiVersion"] = ApiVersion,
                ["time"] = Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldsV1.Write(Fields),
            };
            if (Subresource is not null)
            {
                json["subresource"] = Subresource;
            }

            return json;
        }
    }
}
