using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Http;

namespace Doris.Kubernetes.Emulator.Fields;

/// <summary>How server-side apply treats a list: replaced whole, a set of values, or a map keyed by some fields.</summary>
internal enum ListKind
{
    Atomic,
    Set,
    Map,
}

/// <summary>
/// Where the list semantics come from: for built-in kinds the merge keys of the Kubernetes schema (the table
/// strategic merge uses), for custom resources the CRD's <c>x-kubernetes-list-type</c> and
/// <c>x-kubernetes-list-map-keys</c> (lists without one are atomic, as kube-apiserver treats them).
/// </summary>
internal sealed class FieldSchema
{
    public static readonly FieldSchema BuiltIn = new(null);

    private readonly JsonObject? _node;

    private FieldSchema(JsonObject? node) => _node = node;

    public static FieldSchema Custom(JsonObject? openApiV3Schema) => openApiV3Schema is null ? BuiltIn : new FieldSchema(openApiV3Schema);

    public bool IsCustom => _node is not null;

    public FieldSchema Property(string name)
    {
        if (_node is null)
        {
            return BuiltIn;
        }

        var next = _node["properties"]?[name] as JsonObject ?? _node["additionalProperties"] as JsonObject;
        return next is null ? Untyped : new FieldSchema(next);
    }

    public FieldSchema Items() => _node is null ? BuiltIn : _node["items"] is JsonObject items ? new FieldSchema(items) : Untyped;

    /// <summary>The list kind and keys of the list held by <paramref name="field"/> (its items are in <paramref name="list"/>).</summary>
    public (ListKind Kind, IReadOnlyList<string> Keys) ListOf(string field, JsonArray list)
    {
        if (_node is not null)
        {
            return (_node["x-kubernetes-list-type"]?.GetValue<string>()) switch
            {
                "set" => (ListKind.Set, []),
                "map" when _node["x-kubernetes-list-map-keys"] is JsonArray keys => (ListKind.Map, [.. keys.Select(k => k!.GetValue<string>())]),
                _ => (ListKind.Atomic, []),
            };
        }

        if (StrategicMerge.MergedPrimitiveLists.Contains(field))
        {
            return (ListKind.Set, []);
        }

        if (field == "ports")
        {
            // Container ports are keyed by containerPort and protocol, Service ports by port and protocol.
            var sample = list.OfType<JsonObject>().FirstOrDefault();
            var main = sample?["containerPort"] is not null ? "containerPort" : "port";
            return (ListKind.Map, [main, "protocol"]);
        }

        return StrategicMerge.MergeKeys.TryGetValue(field, out var key) ? (ListKind.Map, [key]) : (ListKind.Atomic, []);
    }

    // Inside a custom resource, below a field the schema does not describe (x-kubernetes-preserve-unknown-fields).
    private static readonly FieldSchema Untyped = new(new JsonObject());
}
