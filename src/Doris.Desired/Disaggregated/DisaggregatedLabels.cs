namespace Doris.Desired.Disaggregated;

/// <summary>The labels apache/doris-operator puts on a DorisDisaggregatedCluster's objects and selects its pods by.</summary>
public static class DisaggregatedLabels
{
    public const string Cluster = "app.doris.disaggregated.cluster";
    public const string OwnerReference = "app.doris.disaggregated.ownerreference/name";
    public const string ComputeGroup = "app.doris.disaggregated.cg-uniqueid";
    public const string PodType = "app.doris.disaggregated.type";
    public const string ServiceRole = "app.doris.service/role";

    /// <summary>Labels of the meta service's or FE's StatefulSet and Services ("ms" or "fe").</summary>
    public static Dictionary<string, string> Component(string cluster, string type) => new(StringComparer.Ordinal) { [Cluster] = cluster, [PodType] = type };

    /// <summary>The meta service's or FE's pod selector.</summary>
    public static Dictionary<string, string> ComponentPods(string cluster, string type) => new(StringComparer.Ordinal) { [Cluster] = cluster, [PodType] = type, [OwnerReference] = cluster };

    /// <summary>Labels of a compute group's StatefulSet and Services.</summary>
    public static Dictionary<string, string> ComputeGroupObjects(string cluster, string uniqueId) => new(StringComparer.Ordinal) { [Cluster] = cluster, [OwnerReference] = cluster, [ComputeGroup] = uniqueId };

    /// <summary>A compute group's pod selector.</summary>
    public static Dictionary<string, string> ComputeGroupPods(string cluster, string uniqueId) => new(StringComparer.Ordinal) { [Cluster] = cluster, [ComputeGroup] = uniqueId, [PodType] = "compute" };
}
