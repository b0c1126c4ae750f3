using Doris.Api.Naming;
using Doris.Api.V1;

namespace Doris.Api.Validation;

internal static class MetadataRules
{
    public static void Check(DorisCluster cluster, List<ValidationIssue> issues)
    {
        var name = cluster.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            issues.Add(ValidationIssue.Error("metadata.name", "missing; name the cluster, e.g. 'doris'"));
        }
        else if (!KubernetesNames.IsDns1035Label(name))
        {
            issues.Add(ValidationIssue.Error("metadata.name", $"'{name}' is not a valid name: Service names derived from it must be lowercase letters, digits and '-', starting with a letter; e.g. '{Suggest(name)}'"));
        }
        else if (name.Length > DorisNames.MaxClusterNameLength)
        {
            issues.Add(ValidationIssue.Error("metadata.name", $"'{name}' is {name.Length} characters; derived names such as '{name}-broker-internal' must fit 63, so use at most {DorisNames.MaxClusterNameLength}"));
        }

        if (cluster.Metadata?.Namespace is { } ns && !KubernetesNames.IsDns1123Label(ns))
        {
            issues.Add(ValidationIssue.Error("metadata.namespace", $"'{ns}' is not a valid namespace; use lowercase letters, digits and '-'"));
        }
    }

    private static string Suggest(string name)
    {
        var s = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        return s.Length > 0 && char.IsAsciiLetter(s[0]) ? s : "doris-" + s;
    }
}
