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
            FirstSentence(error.Message));
    }

    public string Key => $"{Namespace}/{Name}";

    public override string ToString() => $"{Kind} {Key}: field {Field} does not decode: {Message}";

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    // System.Text.Json appends "Path: ... | LineNumber: ..." which the Field already says, and names .NET types,
    // which mean nothing to someone who wrote YAML.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        var converted = System.Text.RegularExpressions.Regex.Match(text, @"could not be converted to ([\w.`\[\]]+)");
        if (!converted.Success)
        {
            return text;
        }

        var type = converted.Groups[1].Value;
        var wanted = type switch
        {
            _ when type.Contains("Int", StringComparison.Ordinal) => "an integer",
            _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
            _ when type.Contains("String", StringComparison.Ordinal) => "a string",
            _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) => "a number",
            _ when type.Contains("List", StringComparison.Ordinal) || type.Contains("[]", StringComparison.Ordinal) => "a list",
            _ when type.Contains("Dictionary", StringComparison.Ordinal) => "a map",
            _ => "an object of the documented shape",
        };
        return $"the value is not {wanted}";
    }
}
