using Doris.Api;
using Doris.Api.Naming;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>
/// PodDisruptionBudgets that upstream does not create: node drains and Karpenter consolidation may take
/// one FE and one BE at a time (so the FE quorum and every tablet keep a live replica), and a quarter of the CNs.
/// </summary>
internal static class DisruptionBudgetBuilder
{
    public static PodDisruptionBudget? Build(ComponentContext c)
    {
        IntOrString? maxUnavailable = c.Component switch
        {
            DorisComponent.Fe or DorisComponent.Be => IntOrString.FromInt(1),
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
}
