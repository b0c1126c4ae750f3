namespace Doris.Cli.Adoption;

/// <summary>
/// Which pod-template differences are the ones dorisctl chooses for safety (each a row of docs/compatibility.md),
/// so <c>dorisctl adopt</c> can tell an expected difference from one to look into.
/// </summary>
internal static class KnownDifferences
{
    private static readonly (string Prefix, string Reason)[] Rows =
    [
        ("spec.template.spec.initContainers[default-init].args", "host tuning: transparent hugepages off"),
        ("spec.template.spec.affinity.podAntiAffinity", "host anti-affinity (weight 100 for FE and BE; BEs avoid FE hosts)"),
        ("spec.template.spec.affinity.nodeAffinity", "Spot placement (spotPolicy)"),
        ("spec.template.spec.tolerations", "Spot placement (spotPolicy)"),
        ("spec.template.spec.topologySpreadConstraints", "zone spread for FE and BE"),
        ("spec.template.metadata.annotations", "restart and config-change annotations"),
    ];

    /// <summary>The compatibility row a difference belongs to, or null when it is not one we chose.</summary>
    public static string? Reason(string path) =>
        Rows.FirstOrDefault(r => path.StartsWith(r.Prefix, StringComparison.Ordinal)).Reason;
}
