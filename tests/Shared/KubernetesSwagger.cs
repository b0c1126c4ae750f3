using System.Text.Json.Nodes;
using Doris.Kubernetes.Schema;

namespace Doris.Testing;

/// <summary>Validates objects against the Kubernetes v1.34 OpenAPI definitions, found by apiVersion and kind.</summary>
internal static class KubernetesSwagger
{
    private static readonly Lazy<JsonObject> Definitions = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(SharedFiles.Reference("kubernetes", "swagger.json")))!["definitions"]!);

    public static IReadOnlyList<SchemaViolation> Validate(JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? throw new ArgumentException("object has no apiVersion");
        var kind = (string?)obj["kind"] ?? throw new ArgumentException("object has no kind");
        var definition = Find(apiVersion, kind) ?? throw new ArgumentException($"no definition for {apiVersion} {kind}");
        var validator = new SchemaValidator(reference => Definitions.Value[reference["#/definitions/".Length..]]);
        return validator.Validate(obj, definition);
    }

    private static JsonNode? Find(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        foreach (var (_, definition) in Definitions.Value)
        {
            if (definition?["x-kubernetes-group-version-kind"] is JsonArray gvks
                && gvks.Any(g => (string?)g!["group"] == group && (string?)g["version"] == version && (string?)g["kind"] == kind))
            {
                return definition;
            }
        }

        return null;
    }
}
