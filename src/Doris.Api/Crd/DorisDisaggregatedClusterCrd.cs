using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;
using Doris.Kubernetes.Serialization;

namespace Doris.Api.Crd;

/// <summary>The DorisDisaggregatedCluster CustomResourceDefinition (short name ddc), its schema generated from our C# types.</summary>
public static class DorisDisaggregatedClusterCrd
{
    public const string Group = "disaggregated.cluster.doris.com";
    public const string Version = "v1";
    public const string Kind = "DorisDisaggregatedCluster";
    public const string Plural = "dorisdisaggregatedclusters";
    public const string ApiVersion = Group + "/" + Version;

    private static readonly Lazy<JsonObject> CachedSchema = new(BuildSchema);

    /// <summary>The OpenAPI v3 schema of a DorisDisaggregatedCluster (shared: clone before changing it).</summary>
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
                Singular = "dorisdisaggregatedcluster",
                ShortNames = ["ddc"],
            },
            Versions =
            [
                new CustomResourceDefinitionVersion
                {
                    Name = Version,
                    Served = true,
                    Storage = true,
                    Subresources = new CustomResourceSubresources { Status = new CustomResourceSubresourceStatus() },
                    AdditionalPrinterColumns =
                    [
                        Column("ClusterHealth", "string", ".status.clusterHealth.health"),
                        Column("MSPhase", "string", ".status.metaServiceStatus.phase"),
                        Column("FEPhase", "string", ".status.feStatus.phase"),
                        Column("CGCount", "integer", ".status.clusterHealth.cgCount"),
                        Column("CGAvailableCount", "integer", ".status.clusterHealth.cgAvailableCount"),
                        Column("CGFullAvailableCount", "integer", ".status.clusterHealth.cgFullAvailableCount"),
                        Column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
                        Column("Age", "date", ".metadata.creationTimestamp"),
                    ],
                    Schema = new CustomResourceValidation
                    {
                        OpenAPIV3Schema = JsonSerializer.SerializeToElement<JsonNode>(Schema, KubernetesJsonContext.Default.JsonNode),
                    },
                },
            ],
        },
    };

    private static CustomResourceColumnDefinition Column(string name, string type, string path) => new() { Name = name, Type = type, JsonPath = path };

    private static JsonObject BuildSchema()
    {
        var overrides = new Dictionary<string, JsonObject>
        {
            // The API server owns metadata's schema; a CRD may only say it is an object.
            ["metadata"] = new() { ["type"] = "object" },
        };
        var schema = StructuralSchemaGenerator.Generate(DorisApiJsonContext.Default.DorisDisaggregatedCluster, overrides, FieldDescriptions.Describe);
        schema["description"] = "DorisDisaggregatedCluster runs a storage-compute separated Apache Doris cluster (meta service, FE, compute groups); compatible with apache/doris-operator.";
        return schema;
    }
}
