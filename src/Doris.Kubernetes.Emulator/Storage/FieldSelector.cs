using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Emulator.Storage;

/// <summary>
/// Field selectors as kube-apiserver serves them: <c>metadata.name</c> and <c>metadata.namespace</c> on every
/// resource, plus the fields each built-in kind registers (pods by node and phase, events by involved object, type
/// and reason, nodes by <c>spec.unschedulable</c>, ...), with <c>=</c>, <c>==</c> and <c>!=</c>. A field the kind
/// does not offer is a 400 naming it, as on a real server; a missing field compares as the empty string.
/// </summary>
internal static class FieldSelector
{
    private static readonly Dictionary<string, string[]> ByKind = new(StringComparer.Ordinal)
    {
        ["Pod"] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
        ["Event"] = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        ["Node"] = ["spec.unschedulable"],
        ["Namespace"] = ["status.phase"],
        ["Secret"] = ["type"],
        ["ReplicationController"] = ["status.replicas"],
    };

    public static Func<JsonObject, bool> Parse(string? text) => Parse(null, text);

    public static Func<JsonObject, bool> Parse(ResourceType? type, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return _ => true;
        }

        var terms = new List<Func<JsonObject, bool>>();
        foreach (var term in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var negate = term.Contains("!=", StringComparison.Ordinal);
            var parts = term.Split(negate ? "!=" : term.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (parts.Length != 2)
            {
                throw ApiError.BadRequest($"invalid field selector: '{term}'");
            }

            var (field, value) = (parts[0].Trim(), parts[1].Trim());
            var offered = field is "metadata.name" or "metadata.namespace" ||
                          type is { Group: "" } && ByKind.TryGetValue(type.Kind, out var fields) && fields.Contains(field);
            if (!offered)
            {
                throw ApiError.BadRequest($"field label not supported: {field}");
            }

            var path = field == "source" ? ["source", "component"] : field.Split('.');
            terms.Add(o => (Value(o, path) == value) != negate);
        }

        return o => terms.All(t => t(o));
    }

    private static string Value(JsonObject obj, string[] path)
    {
        JsonNode? node = obj;
        foreach (var part in path)
        {
            node = (node as JsonObject)?[part];
        }

        return node switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
            JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
            JsonValue v => v.ToJsonString(),
            _ => path[^1] is "unschedulable" or "hostNetwork" ? "false" : string.Empty,
        };
    }
}
