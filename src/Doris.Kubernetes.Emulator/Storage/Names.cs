using System.Text.RegularExpressions;

namespace Doris.Kubernetes.Emulator.Storage;

internal static partial class Names
{
    public static void CheckObjectName(ResourceType type, string name)
    {
        if (name.Length > 253 || !Subdomain().IsMatch(name))
        {
            throw ApiError.Invalid(type, name, $"metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
