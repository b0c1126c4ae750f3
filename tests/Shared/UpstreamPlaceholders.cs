using System.Text.RegularExpressions;

namespace Doris.Testing;

/// <summary>
/// Upstream's DorisDisaggregatedCluster examples as a user applies them: some carry placeholders to fill in
/// ({secret_name}, {username}, {label_name}: {label_values}, ${fdb-configmap}, ${fdb_endpoint}); filled first, as
/// kube-apiserver or the operator would refuse them as written. ${fdb_endpoint} is the line of fdb.cluster; every
/// other placeholder is a name.
/// </summary>
internal static partial class UpstreamPlaceholders
{
    public static string Fill(string text) =>
        Placeholder().Replace(text.Replace("${fdb_endpoint}", "doris_fdb:Xa3k9@10.0.1.5:4500", StringComparison.Ordinal), m => m.Groups[1].Value.Replace('_', '-'));

    [GeneratedRegex(@"\$?\{([a-z_-]+)\}")]
    private static partial Regex Placeholder();
}
