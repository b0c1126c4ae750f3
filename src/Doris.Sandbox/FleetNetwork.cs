using Doris.Eks.Instances;
using Doris.Eks.Planning;

namespace Doris.Sandbox;

/// <summary>
/// What the plan says about pod addresses: each subnet with its usable addresses and what the groups need at their
/// maximum, whether prefix delegation is on, and the instance types' ENI limits, so the report can count the
/// addresses the simulated nodes would really hold (VPC CNI warm-pool rules) against the plan.
/// </summary>
public sealed record FleetNetwork(IReadOnlyList<SubnetPlan> Subnets, bool PrefixDelegation, IReadOnlyDictionary<string, InstanceType> Types)
{
    /// <summary>Addresses a node of this type holds from its subnet with this many pods on it (0 for a type the plan does not know).</summary>
    public int IpsInUse(string instanceType, int pods) =>
        Types.TryGetValue(instanceType, out var t) ? IpPlanner.IpsInUse(t, pods, PrefixDelegation) : 0;
}
