using System.Globalization;
using System.Text.Json.Nodes;
using Doris.Eks.Instances;

namespace Doris.Eks.Lint;

/// <summary>
/// Rule 17: EBS volumes within what EC2 creates. A size, IOPS or throughput outside the volume type's range fails at
/// launch (node groups) or at provisioning (StorageClasses), long after the configuration was applied.
/// </summary>
internal static class VolumeRules
{
    /// <summary>EC2's ranges per volume type (EBS user guide): size GiB, IOPS, throughput MiB/s (0 = not settable).</summary>
    internal sealed record Limits(int MinGiB, int MaxGiB, int MinIops, int MaxIops, int MinThroughput, int MaxThroughput);

    internal static readonly IReadOnlyDictionary<string, Limits> ByType = new Dictionary<string, Limits>(StringComparer.Ordinal)
    {
        ["gp3"] = new(1, 16_384, 3_000, 16_000, 125, 1_000),
        ["gp2"] = new(1, 16_384, 0, 0, 0, 0),
        ["io1"] = new(4, 16_384, 100, 64_000, 0, 0),
        ["io2"] = new(4, 65_536, 100, 256_000, 0, 0),
        ["st1"] = new(125, 16_384, 0, 0, 0, 0),
        ["sc1"] = new(125, 16_384, 0, 0, 0, 0),
    };

    public static IEnumerable<LintFinding> Bounds(LintInput input, InstanceCatalog catalog)
    {
        foreach (var g in input.Groups)
        {
            var type = LintGroup.Str(g.Node["volumeType"]) ?? "gp3"; // eksctl's default
            foreach (var f in Check(type, g.Path, LintGroup.Int(g.Node["volumeSize"]), g.Path + ".volumeSize", LintGroup.Int(g.Node["volumeIOPS"]), g.Path + ".volumeIOPS", LintGroup.Int(g.Node["volumeThroughput"]), g.Path + ".volumeThroughput"))
            {
                yield return f;
            }
        }

        foreach (var sc in input.StorageClasses.Where(s => LintGroup.Str(s["provisioner"]) == "ebs.csi.aws.com"))
        {
            var path = $"StorageClass/{LintGroup.Str((sc["metadata"] as JsonObject)?["name"])}.parameters";
            var parameters = sc["parameters"] as JsonObject;
            var type = LintGroup.Str(parameters?["type"]) ?? "gp3"; // the EBS CSI driver's default
            foreach (var f in Check(type, path, null, string.Empty, Number(parameters?["iops"]), path + ".iops", Number(parameters?["throughput"]), path + ".throughput"))
            {
                yield return f;
            }
        }
    }

    private static IEnumerable<LintFinding> Check(string type, string typePath, int? size, string sizePath, int? iops, string iopsPath, int? throughput, string throughputPath)
    {
        if (!ByType.TryGetValue(type, out var limits))
        {
            yield return new("EKS017", LintSeverity.Error, typePath, $"'{type}' is not an EBS volume type", "use gp3 (or io2 for more IOPS)");
            yield break;
        }

        if (size is { } s && (s < limits.MinGiB || s > limits.MaxGiB))
        {
            yield return new("EKS017", LintSeverity.Error, sizePath, $"{s} GiB is outside what EC2 creates for {type} ({limits.MinGiB}–{limits.MaxGiB:N0} GiB)", $"use a size in that range{(type == "gp3" ? ", or io2 up to 65,536 GiB" : string.Empty)}");
        }

        if (iops is { } i && (limits.MaxIops == 0 || i < limits.MinIops || i > limits.MaxIops))
        {
            yield return new("EKS017", LintSeverity.Error, iopsPath, limits.MaxIops == 0 ? $"{type} volumes take no IOPS setting" : $"{i:N0} IOPS is outside {type}'s range ({limits.MinIops:N0}–{limits.MaxIops:N0})", limits.MaxIops == 0 ? "remove it, or use gp3/io2" : "use a value in that range");
        }

        if (throughput is { } t && (limits.MaxThroughput == 0 || t < limits.MinThroughput || t > limits.MaxThroughput))
        {
            yield return new("EKS017", LintSeverity.Error, throughputPath, limits.MaxThroughput == 0 ? $"{type} volumes take no throughput setting" : $"{t:N0} MiB/s is outside {type}'s range ({limits.MinThroughput}–{limits.MaxThroughput:N0})", limits.MaxThroughput == 0 ? "remove it, or use gp3" : "use a value in that range");
        }
    }

    // StorageClass parameters are strings ("3000"); eksctl fields are numbers.
    private static int? Number(JsonNode? node) =>
        LintGroup.Str(node) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
