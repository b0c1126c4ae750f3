using Doris.Api;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>
/// Turns a component's <c>spotPolicy</c> into node affinity and tolerations over the three capacity-type labels
/// Spot nodes carry on EKS (<c>eks.amazonaws.com/capacityType=SPOT</c> for managed node groups,
/// <c>karpenter.sh/capacity-type=spot</c> for Karpenter, <c>node.spotmax/type=spot</c> from our launch templates),
/// and the <c>node.spotmax/type=spot:NoSchedule</c> taint the planner puts on Spot pools. Required rules are ANDed
/// into every one of the user's own required terms, so the user's placement still holds.
/// </summary>
internal static class SpotPlacement
{
    private static readonly IReadOnlyList<(string Key, string Value)> SpotLabels = Doris.Api.Naming.NodeLabels.SpotMarkers;

    public static string? Policy(ComponentContext c) =>
        c.Spec.SpotPolicy ?? (c.Component == DorisComponent.Cn ? null : "avoid");

    public static NodeAffinity? Affinity(ComponentContext c, NodeAffinity? user) => Affinity(Policy(c), user);

    public static NodeAffinity? Affinity(string? policy, NodeAffinity? user)
    {
        switch (policy)
        {
            case "avoid":
                return WithRequired(user, [[.. SpotLabels.Select(l => new NodeSelectorRequirement { Key = l.Key, Operator = "NotIn", Values = [l.Value] })]]);
            case "required":
                return WithRequired(user, [.. SpotLabels.Select(l => (IReadOnlyList<NodeSelectorRequirement>)[new NodeSelectorRequirement { Key = l.Key, Operator = "In", Values = [l.Value] }])]);
            case "preferred":
                var preferred = new List<PreferredSchedulingTerm>(user?.PreferredDuringSchedulingIgnoredDuringExecution ?? []);
                preferred.AddRange(SpotLabels.Select(l => new PreferredSchedulingTerm
                {
                    Weight = 50,
                    Preference = new NodeSelectorTerm { MatchExpressions = [new NodeSelectorRequirement { Key = l.Key, Operator = "In", Values = [l.Value] }] },
                }));
                return (user ?? new NodeAffinity()) with { PreferredDuringSchedulingIgnoredDuringExecution = preferred };
            default:
                return user;
        }
    }

    public static IReadOnlyList<Toleration>? Tolerations(ComponentContext c) => Tolerations(Policy(c), c.Spec.Tolerations);

    public static IReadOnlyList<Toleration>? Tolerations(string? policy, IReadOnlyList<Toleration>? tolerations)
    {
        var user = tolerations ?? [];
        if (policy is not ("allowed" or "preferred" or "required") || user.Any(t => t.Key == Doris.Api.Naming.NodeLabels.Type))
        {
            return user.Count > 0 ? user : null;
        }

        return [.. user, new Toleration { Key = Doris.Api.Naming.NodeLabels.Type, Operator = "Equal", Value = Doris.Api.Naming.NodeLabels.Spot, Effect = "NoSchedule" }];
    }

    /// <summary>(user term AND ours) for every user term and every alternative of ours: required terms are ORed, expressions ANDed.</summary>
    private static NodeAffinity WithRequired(NodeAffinity? user, IReadOnlyList<IReadOnlyList<NodeSelectorRequirement>> alternatives)
    {
        var userTerms = user?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms is { Count: > 0 } t ? t : [new NodeSelectorTerm()];
        var terms = userTerms.SelectMany(term => alternatives.Select(extra => term with { MatchExpressions = [.. term.MatchExpressions ?? [], .. extra] })).ToList();
        return (user ?? new NodeAffinity()) with { RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector { NodeSelectorTerms = terms } };
    }
}
