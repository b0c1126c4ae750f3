using Doris.Eks.Blueprints;
using Doris.Eks.Instances;

namespace Doris.Eks.Planning;

/// <summary>One node group (ASG) or Karpenter NodePool, fully resolved from a blueprint pool.</summary>
public sealed record NodeGroupPlan(
    string Name,
    BlueprintPool Pool,
    ShapeSpec Spec,
    IReadOnlyList<string> Zones,
    IReadOnlyList<InstanceType> Types,
    int MaxPods,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<BlueprintTaint> Taints)
{
    public bool Spot => Pool.Lifecycle == "spot";

    public string Role => Pool.Role ?? "general";

    /// <summary>FE and BE keep data on EBS volumes that live in one zone, so their groups are zonal and on-demand.</summary>
    public bool Stateful => Role is "fe" or "be";

    /// <summary>Nodes that run BEs or CNs need the Doris host tuning (max_map_count, THP, swap, open files).</summary>
    public bool NeedsHostTuning => Role is "be" or "cn" or "general";

    public int MinSize => Pool.MinSize ?? 0;

    public int MaxSize => Pool.MaxSize ?? 1;

    public int DesiredSize => Pool.DesiredSize ?? MinSize;

    public InstanceType Base => Types[0];
}
