using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Simulation.Cluster;

/// <summary>
/// The CSI resizer's contract for a bound claim whose request grew: when its StorageClass (named, or the default
/// one) allows expansion, the volume grows online and <c>status.capacity</c> follows (EBS gp3 needs no pod restart);
/// otherwise the claim stays as it was, as kube-controller-manager leaves it with a failed-resize event.
/// </summary>
internal static class VolumeResizer
{
    private const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";

    public static void Step(TypedStore store)
    {
        IReadOnlyList<StorageClass>? classes = null;
        foreach (var claim in store.List(TypedStore.Claims, TypedStore.ClaimInfo))
        {
            var want = claim.Spec?.Resources?.Requests?.GetValueOrDefault("storage");
            var have = claim.Status?.Capacity?.GetValueOrDefault("storage");
            if (claim.Status?.Phase != "Bound" || !Quantity.TryParse(want?.Value, out var wanted) || !Quantity.TryParse(have?.Value, out var had) || wanted <= had)
            {
                continue;
            }

            classes ??= store.List(TypedStore.StorageClasses, KubernetesJsonContext.Default.StorageClass);
            var storageClass = claim.Spec!.StorageClassName is { Length: > 0 } name
                ? classes.FirstOrDefault(c => c.Metadata?.Name == name)
                : classes.FirstOrDefault(c => c.Metadata?.Annotations?.GetValueOrDefault(DefaultClassAnnotation) == "true");
            if (storageClass?.AllowVolumeExpansion != true)
            {
                continue;
            }

            var capacity = new Dictionary<string, Quantity>(claim.Status.Capacity ?? new Dictionary<string, Quantity>(), StringComparer.Ordinal) { ["storage"] = want! };
            store.TryUpdate(TypedStore.Claims, TypedStore.ClaimInfo, claim with { Status = claim.Status with { Capacity = capacity } }, status: true);
        }
    }
}
