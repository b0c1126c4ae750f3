using System.Text.Json.Nodes;
using Doris.Kubernetes.Schema;

namespace Doris.Eks.Lint;

/// <summary>The structure of eksctl's ClusterConfig (v1alpha5): which fields exist and their types, to reject what eksctl does not know.</summary>
public static partial class EksctlSchema
{
    private static readonly Lazy<JsonObject> Root = new(() => (JsonObject)JsonNode.Parse(Compact)!);

    public static JsonObject Document => Root.Value;

    public static IReadOnlyList<SchemaViolation> Validate(JsonNode? config)
    {
        var definitions = (JsonObject)Root.Value["definitions"]!;
        var validator = new SchemaValidator(r => definitions[r["#/definitions/".Length..]]);
        return validator.Validate(config, Root.Value);
    }
}
