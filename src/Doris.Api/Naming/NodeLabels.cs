using Doris.Kubernetes.Models;

namespace Doris.Api.Naming;

/// <summary>
/// The node-label vocabulary shared by the EKS planner (which puts it on nodes), its linter, the placement snippet,
/// the operator's Spot placement and the simulated fleet: one source, so a DorisCluster written for planned nodes
/// schedules on them (the source documents' <c>node.spotmax/team|type|spec</c>, plus role and capacity type).
/// </summary>
public static class NodeLabels
{
    public const string Team = "node.spotmax/team";
    public const string Type = "node.spotmax/type";
    public const string Spec = "node.spotmax/spec";

    /// <summary>Which Doris component a pool hosts (fe, be, cn, broker, general).</summary>
    public const string Role = "node.spotmax/role";

    /// <summary>The values of <see cref="Type"/>.</summary>
    public const string Spot = "spot";
    public const string OnDemand = "ondemand";

    /// <summary>EKS managed node groups' capacity label (values SPOT, ON_DEMAND); the planner sets it on self-managed groups too.</summary>
    public const string EksCapacityType = "eks.amazonaws.com/capacityType";

    /// <summary>Karpenter's capacity label (values spot, on-demand).</summary>
    public const string KarpenterCapacityType = "karpenter.sh/capacity-type";

    public static string TypeOf(bool spot) => spot ? Spot : OnDemand;

    /// <summary>The taint on every Spot pool: only pods that tolerate it (CNs) land there.</summary>
    public static Taint SpotTaint() => new() { Key = Type, Value = Spot, Effect = "NoSchedule" };

    /// <summary>The labels each capacity source uses to say a node is Spot.</summary>
    public static IReadOnlyList<(string Key, string Value)> SpotMarkers { get; } = [(EksCapacityType, "SPOT"), (KarpenterCapacityType, "spot"), (Type, Spot)];
}
