using System.Text.RegularExpressions;

namespace Doris.Testing;

/// <summary>
/// The differences from upstream's render that we choose, each tied to its row of docs/compatibility.md (the
/// row's Area cell) and matched narrowly, by path and by the values on both sides, so a row cannot hide an
/// unrelated change.
/// </summary>
internal static partial class UpstreamDifferences
{
    internal sealed record Row(string Area, Func<LeafDiff, bool> Matches);

    private const string Template = "spec.template.spec.";
    private const string Preferred = Template + "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution";

    public static readonly IReadOnlyList<Row> Rows =
    [
        new("Change-detection hash", d =>
            d.Path is "metadata.annotations.app.doris.components/hash" or "metadata.annotations.dorisctl.io/template-hash" && d.Ours is not null),
        new("PodDisruptionBudgets", d => d.Kind == "PodDisruptionBudget" && d.Path.Length == 0 && d.Upstream is null),
        new("Host anti-affinity", d =>
            d.Object.EndsWith("-fe", StringComparison.Ordinal) || d.Object.EndsWith("-be", StringComparison.Ordinal)
                ? d.Path == Preferred + "[0].weight" && d is { Upstream: "20", Ours: "100" }
                : false),
        new("BE away from FE", d =>
            d.Kind == "StatefulSet" && d.Object.EndsWith("-be", StringComparison.Ordinal) && BeAwayFromFe().Match(d.Path) is { Success: true } m
            && (m.Groups[1].Value, d.Upstream, d.Ours) is ("matchLabels.kubernetes.io/hostname", "\"fe\"", null)
                or ("matchExpressions[0].key", null, "\"app.kubernetes.io/component\"")
                or ("matchExpressions[0].operator", null, "\"In\"")
                or ("matchExpressions[0].values[0]", null, "\"fe\"")),
        new("Spot placement", d =>
            d.Path.StartsWith(Template + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[", StringComparison.Ordinal)
            && d.Upstream is null && (d.Object.EndsWith("-fe", StringComparison.Ordinal) || d.Object.EndsWith("-be", StringComparison.Ordinal) || d.Object.EndsWith("-broker", StringComparison.Ordinal))),
        new("Zone spread", d => d.Path.StartsWith(Template + "topologySpreadConstraints[0].", StringComparison.Ordinal) && d.Upstream is null),
        new("Host tuning", d =>
            d.Path == Template + "initContainers[0].args[1]" && d.Upstream == "\"sysctl -w vm.max_map_count=2000000 && swapoff -a\""
            && d.Ours is not null && d.Ours.StartsWith("\"sysctl -w vm.max_map_count=2000000 && swapoff -a && { echo never > /sys/kernel/mm/transparent_hugepage/enabled", StringComparison.Ordinal)),
        new("CN autoscaling", d =>
            d.Kind == "HorizontalPodAutoscaler" && d.Path.StartsWith("spec.scaleTargetRef.", StringComparison.Ordinal)
            && (d.Path, d.Ours) is ("spec.scaleTargetRef.apiVersion", "\"doris.selectdb.com/v1\"") or ("spec.scaleTargetRef.kind", "\"DorisCluster\"") or ("spec.scaleTargetRef.name", _)),
    ];

    /// <summary>The row that explains a difference, or null when none does.</summary>
    public static Row? Explain(LeafDiff difference) => Rows.FirstOrDefault(r => r.Matches(difference));

    [GeneratedRegex(@"^spec\.template\.spec\.affinity\.podAntiAffinity\.preferredDuringSchedulingIgnoredDuringExecution\[\d+\]\.podAffinityTerm\.labelSelector\.(.+)$")]
    private static partial Regex BeAwayFromFe();
}
