using Doris.Kubernetes.Models;

namespace Doris.Operator.Cluster;

/// <summary>
/// The parts of a StatefulSet the API server refuses to change after creation (selector, serviceName,
/// podManagementPolicy, volumeClaimTemplates). A spec edit that touches them cannot be patched in: the operator
/// leaves them as they are, applies the rest, and says so, because recreating the set is the user's decision.
/// Claim templates are compared by what users set (name, class, access modes, size), so fields the API server
/// defaults never count as a change.
/// </summary>
public static class StatefulSetDrift
{
    public static readonly string[] FixedFields = ["selector", "serviceName", "podManagementPolicy", "volumeClaimTemplates"];

    public static IReadOnlyList<string> Find(StatefulSet desired, StatefulSet live)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(live);
        var drift = new List<string>();
        var name = live.Metadata?.Name;
        if (desired.Spec?.ServiceName != live.Spec?.ServiceName)
        {
            drift.Add($"serviceName {live.Spec?.ServiceName} -> {desired.Spec?.ServiceName}");
        }

        if ((desired.Spec?.PodManagementPolicy ?? "OrderedReady") != (live.Spec?.PodManagementPolicy ?? "OrderedReady"))
        {
            drift.Add($"podManagementPolicy {live.Spec?.PodManagementPolicy ?? "OrderedReady"} -> {desired.Spec?.PodManagementPolicy}");
        }

        static string Labels(LabelSelector? s) => string.Join(",", (s?.MatchLabels ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
        if (Labels(desired.Spec?.Selector) != Labels(live.Spec?.Selector))
        {
            drift.Add($"selector {Labels(live.Spec?.Selector)} -> {Labels(desired.Spec?.Selector)}");
        }

        // Sizes of Operator-provisioned volumes are the operator's to change on the claims themselves (ClaimResizer).
        var operatorSized = (desired.Spec?.VolumeClaimTemplates ?? []).Where(c => c.Metadata?.Annotations?.GetValueOrDefault(ClaimResizer.ManagerAnnotation) == "operator")
            .Select(c => c.Metadata!.Name).ToHashSet(StringComparer.Ordinal);
        string Claims(StatefulSet s, bool sizes) => string.Join("; ", (s.Spec?.VolumeClaimTemplates ?? []).OrderBy(c => c.Metadata?.Name, StringComparer.Ordinal).Select(c =>
            $"{c.Metadata?.Name} {c.Spec?.StorageClassName ?? "<default class>"} {string.Join("+", c.Spec?.AccessModes ?? [])}" +
            (sizes && !operatorSized.Contains(c.Metadata?.Name) ? $" {c.Spec?.Resources?.Requests?.GetValueOrDefault("storage")?.Value}" : string.Empty)));
        var resized = Claims(desired, sizes: false) == Claims(live, sizes: false) && Claims(desired, sizes: true) != Claims(live, sizes: true);
        var (want, have) = (Claims(desired, sizes: true), Claims(live, sizes: true));
        if (want != have)
        {
            drift.Add($"volumeClaimTemplates [{have}] -> [{want}]");
        }

        if (drift.Count == 0)
        {
            return [];
        }

        var renames = ClaimNames.Renames(desired, live);
        if (renames.Count > 0)
        {
            // Recreating the set would create claims under the new names: the pods would start on empty disks.
            return
            [
                $"StatefulSet {name} was created with claim templates named {string.Join(", ", renames.Values.Order(StringComparer.Ordinal))}, the spec now names them {string.Join(", ", renames.Keys.Order(StringComparer.Ordinal))}; " +
                "the pods keep mounting the claims they have (their data is there) and the rest of the spec was applied. " +
                $"Do not recreate the set: its new claims would be empty. To take the new names, move the data first (a backup and restore into a new cluster)",
            ];
        }

        if (resized && drift.Count == 1)
        {
            // Recreating the set would not resize anything: existing claims keep their size whatever the template says.
            return
            [
                $"StatefulSet {name}: a claim size changed ({drift[0]}), which a StatefulSet cannot pass on to existing claims; the rest of the spec was applied. " +
                "Set provisioner: Operator on that persistent volume and the operator expands the claims in place (the StorageClass must allow expansion), or resize each claim with 'kubectl patch pvc'",
            ];
        }

        return
        [
            $"StatefulSet {name} cannot change {string.Join(", ", drift)} in place (Kubernetes fixes these at creation); the rest of the spec was applied and the pods keep their claims. " +
            $"To apply it, run 'kubectl delete statefulset {name} --cascade=orphan' (pods and claims stay) and the operator recreates the set with the same claim names; recreating it resizes no existing claim (use provisioner: Operator for that)",
        ];
    }
}
