using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>
/// PodDisruptionBudgets that upstream does not create, on unless a component sets
/// <c>enablePodDisruptionBudget: false</c>. Voluntary disruptions (node drains, cluster-autoscaler, Karpenter
/// consolidation) may take: FE pods only while a majority of the electing followers stays up, one BE at a time (so
/// every tablet keeps a live replica), and a quarter of the CNs.
/// </summary>
internal static class DisruptionBudgetBuilder
{
    public static PodDisruptionBudget? Build(ComponentContext c)
    {
        if (c.Spec.EnablePodDisruptionBudget == false)
        {
            return null;
        }

        IntOrString? maxUnavailable = c.Component switch
        {
            DorisComponent.Fe => IntOrString.FromInt(FrontendAllowance(c.Spec)),
            DorisComponent.Be => IntOrString.FromInt(1),
            DorisComponent.Cn => IntOrString.FromString("25%"),
            _ => null,
        };
        if (maxUnavailable is null)
        {
            return null;
        }

        return new PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = new ObjectMeta
            {
                Name = DorisNames.DisruptionBudget(c.Name, c.Component),
                Namespace = c.Namespace,
                Labels = DorisLabels.Owner(c.Name, c.Component),
                OwnerReferences = c.Owners,
            },
            Spec = new PodDisruptionBudgetSpec
            {
                MaxUnavailable = maxUnavailable,
                Selector = new LabelSelector { MatchLabels = DorisLabels.Selector(c.Name, c.Component) },
            },
        };
    }

    /// <summary>
    /// FE pods that may be down at once with the electing group keeping its majority: (n-1)/2 for n electing
    /// followers, at least one so a single-FE cluster does not block every node drain forever. The budget counts
    /// observers as well, so it is never looser than the quorum needs.
    /// </summary>
    internal static int FrontendAllowance(ComponentSpec spec)
    {
        var replicas = spec.Replicas ?? 0;
        var electing = Math.Min(replicas, (spec as FeSpec)?.ElectionNumber ?? DorisDefaults.ElectionNumber);
        return Math.Max(1, (electing - 1) / 2);
    }
}
