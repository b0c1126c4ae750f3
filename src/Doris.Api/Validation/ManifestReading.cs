using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Doris.Kubernetes.Schema;
using Doris.Kubernetes.Serialization;

namespace Doris.Api.Validation;

/// <summary>
/// Reading a manifest document as one of our kinds, every problem at once: the kind and apiVersion, then what the CRD
/// schema rejects (unknown fields, wrong types, bad quantities) and metadata as the API server checks it, then the
/// rules a schema cannot express.
/// </summary>
internal static class ManifestReading
{
    private static readonly Lazy<JsonObject> MetadataSchema = new(() => StructuralSchemaGenerator.Generate(KubernetesJsonContext.Default.ObjectMeta));

    public static (T? Object, List<ValidationIssue> Issues) Read<T>(ManifestDocument document, string kind, string apiVersion, JsonObject schema, JsonTypeInfo<T> typeInfo, Func<T, IReadOnlyList<ValidationIssue>> rules)
        where T : class
    {
        var issues = new List<ValidationIssue>();
        if (document.Root is not JsonObject root)
        {
            return (null, [ValidationIssue.Error("<document>", $"expected a {kind} mapping with apiVersion, kind, metadata and spec")]);
        }

        var actualVersion = root["apiVersion"] is JsonValue a && a.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : null;
        var actualKind = root["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : null;
        if (actualKind != kind)
        {
            return (null, [ValidationIssue.Error("kind", $"'{actualKind ?? "<missing>"}' is not a {kind}; set kind: {kind}")]);
        }

        if (actualVersion != apiVersion)
        {
            return (null, [ValidationIssue.Error("apiVersion", $"'{actualVersion ?? "<missing>"}' is not served; set apiVersion: {apiVersion}")]);
        }

        var validator = new SchemaValidator();
        foreach (var violation in validator.Validate(root, schema))
        {
            issues.Add(ValidationIssue.Error(violation.Path, violation.Message));
        }

        // The CRD may only call metadata an object; the API server checks its fields, so we do too.
        foreach (var violation in validator.Validate(root["metadata"], MetadataSchema.Value))
        {
            issues.Add(ValidationIssue.Error("metadata." + violation.Path, violation.Message));
        }

        T? read = null;
        try
        {
            read = root.Deserialize(typeInfo);
        }
        catch (JsonException e) when (issues.Count > 0)
        {
            // The schema errors above already say what is wrong with the types.
            _ = e;
        }
        catch (JsonException e)
        {
            issues.Add(ValidationIssue.Error(e.Path?.TrimStart('$', '.') ?? "<document>", $"cannot be read: {e.Message}"));
        }

        if (read is not null)
        {
            issues.AddRange(rules(read));
        }

        return (read, issues);
    }
}
