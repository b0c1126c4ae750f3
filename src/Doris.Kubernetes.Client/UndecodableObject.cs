using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Client;

/// <summary>
/// An object the server sent that does not fit our types (a field of the wrong type under a looser CRD, say):
/// who it is, from its raw metadata, and which field failed, so it can be reported by name instead of failing
/// the whole list or watch.
/// </summary>
public sealed record UndecodableObject(string Kind, string? Namespace, string Name, string? Uid, string? ResourceVersion, string Field, string Message)
{
    /// <summary>The identity from the raw JSON and the failing field from the exception's JSON path (<c>$.spec.feSpec.replicas</c>).</summary>
    public static UndecodableObject From(JsonNode? raw, string kind, JsonException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var meta = raw?["metadata"] as JsonObject;
        var path = error.Path is { Length: > 0 } p ? p.TrimStart('$').TrimStart('.') : "(the object)";
        return new UndecodableObject(
            Text(raw?["kind"]) ?? kind,
            Text(meta?["namespace"]),
            Text(meta?["name"]) ?? "(no name)",
            Text(meta?["uid"]),
            Text(meta?["resourceVersion"]),
            path,
            Describe(error, raw, path));
    }

    public string Key => $"{Namespace}/{Name}";

    public override string ToString() => $"{Kind} {Key}: field {Field} does not decode: {Message}";

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    // System.Text.Json names .NET types (often the enclosing one, with source generation) and appends "Path: ...";
    // someone who wrote YAML wants the field, its value and what was expected instead.
    private static string Describe(JsonException error, JsonNode? raw, string path)
    {
        var inner = error.InnerException?.Message ?? string.Empty;
        var wanted = inner switch
        {
            _ when inner.Contains("as a boolean", StringComparison.Ordinal) => "true or false",
            _ when inner.Contains("as a number", StringComparison.Ordinal) => "a number",
            _ when inner.Contains("as a string", StringComparison.Ordinal) => "a string",
            _ => ByType(error.Message),
        };
        var value = ValueAt(raw, path) is { } v ? $"the value {Shorten(v.ToJsonString())}" : "the value";
        return wanted is null ? FirstSentence(error.Message) : $"{value} is not {wanted}";
    }

    private static string? ByType(string message)
    {
        var converted = System.Text.RegularExpressions.Regex.Match(message, @"could not be converted to ([\w.`\[\]]+)");
        if (!converted.Success)
        {
            return null;
        }

        var type = converted.Groups[1].Value;
        return type switch
        {
            _ when type.Contains("Int", StringComparison.Ordinal) || type.Contains("Double", StringComparison.Ordinal) => "a number",
            _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
            _ when type.Contains("String", StringComparison.Ordinal) => "a string",
            _ when type.Contains("List", StringComparison.Ordinal) || type.Contains("[]", StringComparison.Ordinal) => "a list",
            _ => "of the type the field takes",
        };
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static JsonNode? ValueAt(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = part;
            var index = name.IndexOf('[', StringComparison.Ordinal);
            var indices = index >= 0 ? name[index..] : string.Empty;
            name = index >= 0 ? name[..index] : name;
            node = name.Length > 0 ? (node as JsonObject)?[name] : node;
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(indices, @"\[(\d+)\]"))
            {
                node = node is JsonArray a && int.TryParse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < a.Count ? a[i] : null;
            }

            if (node is null)
            {
                return null;
            }
        }

        return node is JsonValue ? node : null;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
