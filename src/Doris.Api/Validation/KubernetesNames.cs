using System.Text.RegularExpressions;

namespace Doris.Api.Validation;

/// <summary>The Kubernetes name grammars (DNS-1123 label and subdomain, DNS-1035 label, label keys and values).</summary>
public static partial class KubernetesNames
{
    public static bool IsDns1123Label(string? s) => s is { Length: > 0 and <= 63 } && Dns1123Label().IsMatch(s);

    public static bool IsDns1035Label(string? s) => s is { Length: > 0 and <= 63 } && Dns1035Label().IsMatch(s);

    public static bool IsDns1123Subdomain(string? s) => s is { Length: > 0 and <= 253 } && Dns1123Subdomain().IsMatch(s);

    public static bool IsQualifiedName(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        return (slash < 0 || IsDns1123Subdomain(key[..slash])) && name.Length is > 0 and <= 63 && QualifiedNamePart().IsMatch(name);
    }

    public static bool IsLabelValue(string? value) => value is null || value.Length == 0 || value.Length <= 63 && QualifiedNamePart().IsMatch(value);

    public static bool IsEnvVarName(string? name) => !string.IsNullOrEmpty(name) && EnvVarName().IsMatch(name) && name != "." && name != "..";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex QualifiedNamePart();

    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvVarName();
}
