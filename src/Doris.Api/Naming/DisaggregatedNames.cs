namespace Doris.Api.Naming;

/// <summary>Names of what a DorisDisaggregatedCluster becomes, as apache/doris-operator names them.</summary>
public static class DisaggregatedNames
{
    public static string MetaServiceStatefulSet(string cluster) => cluster + "-ms";

    public static string FrontendStatefulSet(string cluster) => cluster + "-fe";

    /// <summary>A compute group's StatefulSet and Service: the cluster name and the uniqueId, '_' written as '-'.</summary>
    public static string ComputeGroupStatefulSet(string cluster, string uniqueId) => (cluster + "-" + uniqueId).Replace('_', '-');
}
