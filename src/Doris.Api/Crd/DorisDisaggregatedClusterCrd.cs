using System.Text.Json.Nodes;
using Doris.Api.Serialization;
using Doris.Kubernetes.Models;

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

    public static CustomResourceDefinition Build() => CrdShape.Build(Group, Kind, Plural, "dorisdisaggregatedcluster", "ddc", new CustomResourceSubresources { Status = new CustomResourceSubresourceStatus() },
    [
        CrdShape.Column("ClusterHealth", "string", ".status.clusterHealth.health"),
        CrdShape.Column("MSPhase", "string", ".status.metaServiceStatus.phase"),
        CrdShape.Column("FEPhase", "string", ".status.feStatus.phase"),
        CrdShape.Column("CGCount", "integer", ".status.clusterHealth.cgCount"),
        CrdShape.Column("CGAvailableCount", "integer", ".status.clusterHealth.cgAvailableCount"),
        CrdShape.Column("CGFullAvailableCount", "integer", ".status.clusterHealth.cgFullAvailableCount"),
        CrdShape.Column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
        CrdShape.Column("Age", "date", ".metadata.creationTimestamp"),
    ], Schema);

    private static JsonObject BuildSchema() => CrdShape.Schema(DorisApiJsonContext.Default.DorisDisaggregatedCluster, "DorisDisaggregatedCluster runs a storage-compute separated Apache Doris cluster (meta service, FE, compute groups); compatible with apache/doris-operator.");
}
