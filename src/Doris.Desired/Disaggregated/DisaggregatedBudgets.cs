using Doris.Api.Disaggregated;
using Doris.Kubernetes.Models;

namespace Doris.Desired.Disaggregated;

/// <summary>
/// dorisctl's PodDisruptionBudgets for a storage-compute cluster (upstream makes none), one per StatefulSet unless
/// its component says <c>enablePodDisruptionBudget: false</c>. Voluntary disruptions (node drains, Karpenter,
/// cluster-autoscaler) may take one meta service pod at a time, FE pods only while the electing followers keep a
/// majority, and a quarter of a compute group (its members hold no data; the rest of the group serves meanwhile).
/// Named <c>&lt;statefulset&gt;-pdb</c>, selecting exactly the StatefulSet's pods.
/// </summary>
public static class DisaggregatedBudgets
{
    public static PodDisruptionBudget? Build(DorisDisaggregatedCluster cluster, StatefulSet set, DisaggregatedComponentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.EnablePodDisruptionBudget == false)
        {
            return null;
        }

        var maxUnavailable = spec switch
        {
            DisaggregatedFeSpec fe => IntOrString.FromInt(Math.Max(1, (Math.Min(set.Spec?.Replicas ?? 1, fe.ElectionNumber ?? DisaggregatedDefaults.ElectionNumber) - 1) / 2)),
            ComputeGroup => IntOrString.FromString("25%"),
            _ => IntOrString.FromInt(1),
        };
        return new PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = new ObjectMeta { Name = set.Metadata!.Name + "-pdb", Namespace = set.Metadata.Namespace, Labels = set.Metadata.Labels, OwnerReferences = DisaggregatedPodParts.Owners(cluster) },
            Spec = new PodDisruptionBudgetSpec { MaxUnavailable = maxUnavailable, Selector = set.Spec!.Selector },
        };
    }
}
