using System.Text.Json;
using Doris.Api.Validation;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Cli.Input;

/// <summary>
/// A Secret given with <c>-f</c> (the cluster's auth Secret, TLS material): checked as the API server would
/// (a name, base64 in <c>data</c>) so the sandbox applies it whole or not at all. Messages name the key, never a value.
/// </summary>
internal static class SecretReader
{
    public static Secret? Read(ManifestDocument document, List<ValidationIssue> issues)
    {
        Secret? secret;
        try
        {
            secret = document.Root.Deserialize(KubernetesJsonContext.Default.Secret);
        }
        catch (JsonException e)
        {
            // The exception text can quote the offending value; only its path is shown.
            issues.Add(ValidationIssue.Error(e.Path?.TrimStart('$', '.') ?? "<document>", "not a valid Secret: every value under data and stringData must be a string") with { Location = document.Start });
            return null;
        }

        if (secret?.Metadata?.Name is not { Length: > 0 })
        {
            issues.Add(ValidationIssue.Error("metadata.name", "the Secret has no name; name it as the DorisCluster refers to it (spec.authSecret, secrets[].secretName)") with { Location = document.Start });
            return null;
        }

        foreach (var (key, value) in secret.Data ?? new Dictionary<string, string>())
        {
            if (!IsBase64(value))
            {
                issues.Add(ValidationIssue.Error($"data[{key}]", $"Secret '{secret.Metadata.Name}': the value of '{key}' is not base64; encode it (base64 -w0) or move it under stringData") with { Location = document.Start });
                return null;
            }
        }

        return secret;
    }

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }
}
