using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Api.Crd;

/// <summary>The parts our CustomResourceDefinitions share: one served and stored v1, namespaced, labelled as ours.</summary>
internal static class CrdShape
{
    public static CustomResourceDefinition Build(string group, string kind, string plural, string singular, string shortName, CustomResourceSubresources subresources, IReadOnlyList<CustomResourceColumnDefinition> columns, JsonObject schema) => new()
    {
        ApiVersion = "apiextensions.k8s.io/v1",
        Kind = "CustomResourceDefinition",
        Metadata = new ObjectMeta
        {
            Name = $"{plural}.{group}",
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "dorisctl" },
        },
        Spec = new CustomResourceDefinitionSpec
        {
            Group = group,
            Scope = "Namespaced",
            Names = new CustomResourceDefinitionNames { Kind = kind, ListKind = kind + "List", Plural = plural, Singular = singular, ShortNames = [shortName] },
            Versions =
            [
                new CustomResourceDefinitionVersion
                {
                    Name = "v1",
                    Served = true,
                    Storage = true,
                    Subresources = subresources,
                    AdditionalPrinterColumns = [.. columns],
                    Schema = new CustomResourceValidation { OpenAPIV3Schema = JsonSerializer.SerializeToElement<JsonNode>(schema, KubernetesJsonContext.Default.JsonNode) },
                },
            ],
        },
    };

    /// <summary>The structural schema of a kind, generated from its C# types with our field descriptions.</summary>
    public static JsonObject Schema<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string description)
    {
        var overrides = new Dictionary<string, JsonObject>
        {
            // The API server owns metadata's schema; a CRD may only say it is an object.
            ["metadata"] = new() { ["type"] = "object" },
        };
        var schema = Doris.Kubernetes.Schema.StructuralSchemaGenerator.Generate(type, overrides, FieldDescriptions.Describe);
        schema["description"] = description;
        return schema;
    }

    public static CustomResourceColumnDefinition Column(string name, string type, string path) => new() { Name = name, Type = type, JsonPath = path };
}
