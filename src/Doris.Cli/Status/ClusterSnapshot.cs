using Doris.Api.V1;
using Doris.Kubernetes.Models;
using Doris.Sql.Admin;

namespace Doris.Cli.Status;

/// <summary>Everything <c>dorisctl status</c> read, from the API server and (when reachable) the FE, at one moment.</summary>
internal sealed record ClusterSnapshot(
    DorisCluster Cluster,
    IReadOnlyList<StatefulSet> StatefulSets,
    IReadOnlyList<Pod> Pods,
    IReadOnlyDictionary<string, Node> Nodes,
    IReadOnlyList<PodDisruptionBudget> Budgets,
    IReadOnlyList<Event> Events,
    FrontendView? Frontend,
    DateTimeOffset Now);

/// <summary>The FE's own account of the cluster, or why it could not be read.</summary>
internal sealed record FrontendView(
    string Address,
    IReadOnlyList<FrontendInfo> Frontends,
    IReadOnlyList<BackendInfo> Backends,
    TabletHealth? Tablets,
    ReplicationFloor? Replication,
    string? Error)
{
    public static FrontendView Unreachable(string address, string error) => new(address, [], [], null, null, error);
}
