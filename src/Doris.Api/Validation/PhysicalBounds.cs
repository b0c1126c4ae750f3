using System.Text.RegularExpressions;
using Doris.Kubernetes.Models;

namespace Doris.Api.Validation;

/// <summary>
/// Values no cluster can satisfy: they pass the quantity grammar but would leave pods Pending for ever (or, worse,
/// be accepted by a scheduler that rounds them). The bounds are physical, not policy: the largest EC2 instance,
/// the largest EBS volume, Kubernetes' tested scale.
/// </summary>
internal static class PhysicalBounds
{
    /// <summary>Kubernetes' tested scale is 5,000 nodes; no Doris component can usefully run more pods than that.</summary>
    public const int MaxReplicas = 5000;

    /// <summary>The most vCPUs of any EC2 instance (u7in-32tb.224xlarge: 896).</summary>
    public const decimal MaxCpu = 896;

    /// <summary>The most memory of any EC2 instance (u7in-32tb: 32 TiB).</summary>
    public const decimal MaxMemoryBytes = 32m * 1024 * 1024 * 1024 * 1024;

    /// <summary>The largest EBS volume (io2 Block Express: 64 TiB; gp3 stops at 16 TiB).</summary>
    public const decimal MaxVolumeBytes = 64m * 1024 * 1024 * 1024 * 1024;

    public static string? CheckResource(string name, string text)
    {
        if (!Quantity.TryParse(text, out var value))
        {
            return Unrepresentable(text);
        }

        return name switch
        {
            "cpu" when value > MaxCpu => $"'{text}' is more CPU than any machine has (the largest EC2 instance has {MaxCpu} vCPUs); use a size the node group's instances offer, e.g. 16",
            "memory" when value > MaxMemoryBytes => $"'{text}' is more memory than any machine has (the largest EC2 instance has 32 TiB); use a size the node group's instances offer, e.g. 64Gi",
            _ => null,
        };
    }

    public static string? CheckStorage(string text) =>
        !Quantity.TryParse(text, out var value) ? Unrepresentable(text)
        : value > MaxVolumeBytes ? $"'{text}' is larger than any block volume (EBS io2 Block Express stops at 64 TiB, gp3 at 16 TiB); use several volumes or a smaller size"
        : null;

    // The grammar accepts digits without end; a well-formed value past decimal's range is not a size anyone meant.
    // (A malformed one is the schema pattern's to report.)
    private static string? Unrepresentable(string text) =>
        Regex.IsMatch(text, @"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([numkMGTPE]|[KMGTPE]i|[eE][+-]?[0-9]+)?$", RegexOptions.None, TimeSpan.FromSeconds(1))
            ? $"'{(text.Length > 40 ? text[..40] + "..." : text)}' is too large to be a quantity any node offers; use a size such as 16 (cpu) or 64Gi (memory, storage)"
            : null;
}
