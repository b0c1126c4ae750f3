using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;
using Doris.Kubernetes.Serialization;

namespace Doris.Api.Crd;

/// <summary>The DorisCluster CustomResourceDefinition, with its schema generated from our C# types.</summary>
public static class DorisClusterCrd
{
    public const string Group = "doris.selectdb.com";
    public const string Version = "v1";
    public const string Kind = "DorisCluster";
    public const string Plural = "dorisclusters";
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>What the <c>/scale</c> subresource (and so an HPA) changes: the CN replicas.</summary>
    public const string ScaleSpecPath = ".spec.cnSpec.replicas";

    private static readonly Lazy<JsonObject> CachedSchema = new(BuildSchema);

    /// <summary>The OpenAPI v3 schema of a DorisCluster object (shared: clone before changing it).</summary>
    public static JsonObject Schema => CachedSchema.Value;

    public static CustomResourceDefinition Build() => new()
    {
        ApiVersion = "apiextensions.k8s.io/v1",
        Kind = "CustomResourceDefinition",
        Metadata = new ObjectMeta
        {
            Name = $"{Plural}.{Group}",
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "dorisctl" },
        },
        Spec = new CustomResourceDefinitionSpec
        {
            Group = Group,
            Scope = "Namespaced",
            Names = new CustomResourceDefinitionNames
            {
                Kind = Kind,
                ListKind = Kind + "List",
                Plural = Plural,
                Singular = "doriscluster",
                ShortNames = ["dcr"],
            },
            Versions =
            [
                new CustomResourceDefinitionVersion
                {
                    Name = Version,
                    Served = true,
                    Storage = true,
                    // scale: the CN replicas, so a HorizontalPodAutoscaler changes the DorisCluster and the operator
                    // decommissions CNs before their pods go (instead of the HPA shrinking the StatefulSet under it).
                    Subresources = new CustomResourceSubresources
                    {
                        Status = new CustomResourceSubresourceStatus(),
                        Scale = new CustomResourceSubresourceScale { SpecReplicasPath = ScaleSpecPath, StatusReplicasPath = ".status.cnStatus.replicas", LabelSelectorPath = ".status.cnStatus.selector" },
                    },
                    AdditionalPrinterColumns =
                    [
                        Column("FeStatus", ".status.feStatus.componentCondition.phase"),
                        Column("BeStatus", ".status.beStatus.componentCondition.phase"),
                        Column("CnStatus", ".status.cnStatus.componentCondition.phase"),
                        Column("BrokerStatus", ".status.brokerStatus.componentCondition.phase"),
                        Column("Ready", ".status.conditions[?(@.type==\"Ready\")].status"),
                        new CustomResourceColumnDefinition { Name = "Age", Type = "date", JsonPath = ".metadata.creationTimestamp" },
                    ],
                    Schema = new CustomResourceValidation
                    {
                        OpenAPIV3Schema = JsonSerializer.SerializeToElement<JsonNode>(Schema, KubernetesJsonContext.Default.JsonNode),
                    },
                },
            ],
        },
    };

    private static CustomResourceColumnDefinition Column(string name, string path) => new() { Name = name, Type = "string", JsonPath = path };

    private static JsonObject BuildSchema()
    {
        var overrides = new Dictionary<string, JsonObject>
        {
            // The API server owns metadata's schema; a CRD may only say it is an object.
            ["metadata"] = new() { ["type"] = "object" },
        };
        var schema = StructuralSchemaGenerator.Generate(DorisApiJsonContext.Default.DorisCluster, overrides, FieldDescriptions.Describe);
        schema["description"] = "DorisCluster runs an Apache Doris cluster (FE, BE, CN, broker) as StatefulSets; compatible with apache/doris-operator.";
        return schema;
    }
}
