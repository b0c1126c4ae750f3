using System.Text.Json.Nodes;
using Doris.Api.Serialization;
using Doris.Kubernetes.Models;

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

    // scale: the CN replicas, so a HorizontalPodAutoscaler changes the DorisCluster and the operator decommissions
    // CNs before their pods go (instead of the HPA shrinking the StatefulSet under it).
    public static CustomResourceDefinition Build() => CrdShape.Build(Group, Kind, Plural, "doriscluster", "dcr", new CustomResourceSubresources
    {
        Status = new CustomResourceSubresourceStatus(),
        Scale = new CustomResourceSubresourceScale { SpecReplicasPath = ScaleSpecPath, StatusReplicasPath = ".status.cnStatus.replicas", LabelSelectorPath = ".status.cnStatus.selector" },
    },
    [
        CrdShape.Column("FeStatus", "string", ".status.feStatus.componentCondition.phase"),
        CrdShape.Column("BeStatus", "string", ".status.beStatus.componentCondition.phase"),
        CrdShape.Column("CnStatus", "string", ".status.cnStatus.componentCondition.phase"),
        CrdShape.Column("BrokerStatus", "string", ".status.brokerStatus.componentCondition.phase"),
        CrdShape.Column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
        CrdShape.Column("Age", "date", ".metadata.creationTimestamp"),
    ], Schema);

    private static JsonObject BuildSchema() => CrdShape.Schema(DorisApiJsonContext.Default.DorisCluster, "DorisCluster runs an Apache Doris cluster (FE, BE, CN, broker) as StatefulSets; compatible with apache/doris-operator.");
}
