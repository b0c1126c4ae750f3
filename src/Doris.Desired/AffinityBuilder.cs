using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>
/// Spreads a component's pods over hosts by default (preferred, so small clusters still schedule),
/// and FE/BE over zones, merged with the user's affinity: required anti-affinity replaced, preferred terms appended.
/// </summary>
internal static class AffinityBuilder
{
    private const string HostnameKey = "kubernetes.io/hostname";
    private const string ZoneKey = "topology.kubernetes.io/zone";

    public static Affinity Build(ComponentContext c)
    {
        var user = c.Spec.Affinity;
        // Two FE followers or two BEs on one host turn one host failure into a lost quorum or a tablet with two
        // replicas gone, so for them "one per host" is the strongest preference; other components keep upstream's 20.
        var preferredAnti = new List<WeightedPodAffinityTerm> { Term(c.Component is DorisComponent.Fe or DorisComponent.Be ? 100 : 20, c.Key) };

        // Upstream's order: its own term, the user's preferred terms, then (BE) the term about FE pods.
        preferredAnti.AddRange(user?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []);
        var preferredAffinity = new List<WeightedPodAffinityTerm>(user?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []);
        switch (c.Spec)
        {
            case BeSpec { EnableFeAffinity: true }:
                preferredAffinity.Add(Term(15, DorisComponent.Fe.Key()));
                break;
            case BeSpec:
                // Upstream selects FE pods with matchLabels {kubernetes.io/hostname: fe}, a label no pod has, so its
                // term never acts; ours selects them by component, so BEs do avoid FE hosts (documented difference).
                preferredAnti.Add(Term(80, DorisComponent.Fe.Key()));
                break;
            case BrokerSpec { KickOffAffinityBe: true }:
                preferredAffinity.Add(Term(20, DorisComponent.Be.Key()));
                break;
        }

        var podAffinity = user?.PodAffinity;
        if (preferredAffinity.Count > 0)
        {
            podAffinity = (podAffinity ?? new PodAffinity()) with { PreferredDuringSchedulingIgnoredDuringExecution = preferredAffinity };
        }

        return new Affinity
        {
            NodeAffinity = SpotPlacement.Affinity(c, user?.NodeAffinity),
            PodAffinity = podAffinity,
            PodAntiAffinity = new PodAntiAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = user?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution,
                PreferredDuringSchedulingIgnoredDuringExecution = preferredAnti,
            },
        };
    }

    /// <summary>
    /// FE and BE spread evenly over availability zones, so losing a zone keeps the FE majority and a replica of
    /// each tablet. ScheduleAnyway: a single-zone cluster still schedules, the spread is a preference.
    /// </summary>
    public static IReadOnlyList<TopologySpreadConstraint>? ZoneSpread(ComponentContext c) =>
        c.Component is DorisComponent.Fe or DorisComponent.Be
            ?
            [
                new TopologySpreadConstraint
                {
                    MaxSkew = 1,
                    TopologyKey = ZoneKey,
                    WhenUnsatisfiable = "ScheduleAnyway",
                    LabelSelector = new LabelSelector { MatchLabels = DorisLabels.Selector(c.Name, c.Component) },
                },
            ]
            : null;

    private static WeightedPodAffinityTerm Term(int weight, string component) => new()
    {
        Weight = weight,
        PodAffinityTerm = new PodAffinityTerm
        {
            TopologyKey = HostnameKey,
            LabelSelector = new LabelSelector
            {
                MatchExpressions = [new LabelSelectorRequirement { Key = DorisLabels.Component, Operator = "In", Values = [component] }],
            },
        },
    };
}
