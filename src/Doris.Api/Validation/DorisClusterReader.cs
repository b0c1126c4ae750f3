using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Crd;
using Doris.Api.Serialization;
using Doris.Kubernetes.Schema;
using Doris.Kubernetes.Serialization;

namespace Doris.Api.Validation;

/// <summary>
/// Turns a manifest document into a DorisCluster, reporting every problem at once: first what the CRD
/// schema rejects (unknown fields, wrong types, bad quantities), then the rules a schema cannot express.
/// </summary>
public static class DorisClusterReader
{
    private static readonly Lazy<JsonObject> MetadataSchema = new(() => StructuralSchemaGenerator.Generate(KubernetesJsonContext.Default.ObjectMeta));

    public static ReadResult Read(ManifestDocument document)
    {
        var issues = new List<ValidationIssue>();
        if (document.Root is not JsonObject root)
        {
            return Located(document, null, [ValidationIssue.Error("<document>", "expected a DorisCluster mapping with apiVersion, kind, metadata and spec")]);
        }

        var apiVersion = root["apiVersion"] is JsonValue a && a.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : null;
        var kind = root["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : null;
        if (kind != DorisClusterCrd.Kind)
        {
            return Located(document, null, [ValidationIssue.Error("kind", $"'{kind ?? "<missing>"}' is not a DorisCluster; set kind: {DorisClusterCrd.Kind}")]);
        }

        if (apiVersion != DorisClusterCrd.ApiVersion)
        {
            return Located(document, null, [ValidationIssue.Error("apiVersion", $"'{apiVersion ?? "<missing>"}' is not served; set apiVersion: {DorisClusterCrd.ApiVersion}")]);
        }

        var validator = new SchemaValidator();
        foreach (var violation in validator.Validate(root, DorisClusterCrd.Schema))
        {
            issues.Add(ValidationIssue.Error(violation.Path, violation.Message));
        }

        // The CRD may only call metadata an object; the API server checks its fields, so we do too.
        foreach (var violation in validator.Validate(root["metadata"], MetadataSchema.Value))
        {
            issues.Add(ValidationIssue.Error("metadata." + violation.Path, violation.Message));
        }

        V1.DorisCluster? cluster = null;
        try
        {
            cluster = root.Deserialize(DorisApiJsonContext.Default.DorisCluster);
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

        if (cluster is not null)
        {
            issues.AddRange(DorisClusterValidator.Validate(cluster));
        }

        return Located(document, cluster, issues);
    }

    private static ReadResult Located(ManifestDocument document, V1.DorisCluster? cluster, List<ValidationIssue> issues) =>
        new(cluster, [.. issues.Select(i => i with { Location = document.Locate(i.Path) })]) { Location = document.Locate("metadata.name") };
}
