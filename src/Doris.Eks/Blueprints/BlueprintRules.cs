using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Doris.Eks.Instances;

namespace Doris.Eks.Blueprints;

/// <summary>The blueprint rules a schema cannot express; each names the field, the value and the fix.</summary>
internal static partial class BlueprintRules
{
    public static void Check(Blueprint b, InstanceCatalog catalog, List<BlueprintIssue> issues)
    {
        void Error(string path, string message) => issues.Add(new BlueprintIssue(true, path, message));
        void Warn(string path, string message) => issues.Add(new BlueprintIssue(false, path, message));

        if (!Name().IsMatch(b.Name ?? string.Empty))
        {
            Error("name", $"'{b.Name}' is not a valid EKS cluster name; use letters, digits and '-', starting with a letter, at most 100 characters");
        }

        if (!Region().IsMatch(b.Region ?? string.Empty))
        {
            Error("region", $"'{b.Region}' is not an AWS region; use a name such as us-east-1");
        }

        var version = ParseVersion(b.KubernetesVersion ?? Planning.PlanDefaults.KubernetesVersion);
        if (version is null)
        {
            Error("kubernetesVersion", $"'{b.KubernetesVersion}' is not a Kubernetes minor version; write it as a quoted string such as \"1.34\"");
        }

        if (b.NodeOs == "AL2")
        {
            if (version >= 33)
            {
                Error("nodeOs", $"AL2 has no EKS AMIs for Kubernetes 1.{version} (the last is 1.32); use AL2023 or Bottlerocket");
            }
            else
            {
                Warn("nodeOs", "AL2 reached end of support (no EKS AL2 AMIs after November 2025); plan a move to AL2023 or Bottlerocket");
            }
        }

        if (b.KmsKeyArn is { } kms && !KmsArn().IsMatch(kms))
        {
            Error("kmsKeyArn", $"'{kms}' is not a full KMS key ARN; use arn:aws:kms:<region>:<account>:key/<id> (aliases are not accepted by EBS CSI)");
        }
        else if (b.KmsKeyArn is { } key && b.Region is { } region && !key.StartsWith($"arn:aws:kms:{region}:", StringComparison.Ordinal) && !key.StartsWith($"arn:aws-cn:kms:{region}:", StringComparison.Ordinal))
        {
            Error("kmsKeyArn", $"the key is not in {region}; secrets encryption and EBS need a key in the cluster's region");
        }
        else if (b.KmsKeyArn is null)
        {
            Warn("kmsKeyArn", "unset: volumes and the StorageClass use the AWS-managed aws/ebs key and Kubernetes secrets get no customer key; set a customer-managed key ARN");
        }

        foreach (var (addon, _) in b.AddonVersions ?? new Dictionary<string, string>())
        {
            if (!Artefacts.Addons.Names.Contains(addon))
            {
                Error($"addonVersions.{addon}", $"'{addon}' is not an add-on the plan installs; pin one of {string.Join(", ", Artefacts.Addons.Names)}");
            }
        }

        if (b.Autoscaler == "karpenter" && b.AmiAlias is { } alias && alias.EndsWith("@latest", StringComparison.Ordinal))
        {
            Warn("amiAlias", $"'{alias}' drifts every node on each AMI release; pin a version such as {(b.NodeOs == "Bottlerocket" ? "bottlerocket@v1.54.0" : "al2023@v20260724")}");
        }
        else if (b.Autoscaler == "karpenter" && b.NodeOs == "Bottlerocket" && b.AmiAlias is null)
        {
            // dorisctl pins AL2023 itself but carries no Bottlerocket release list to pick one from.
            Error("amiAlias", "unset: Karpenter needs a Bottlerocket release to pin (with '@latest' every node is replaced on each release); set amiAlias: bottlerocket@v<version> with the release you run, e.g. bottlerocket@v1.54.0");
        }

        var zones = new Dictionary<string, BlueprintSubnet>(StringComparer.Ordinal);
        var subnets = b.Vpc?.Subnets ?? [];
        if (subnets.Count == 0)
        {
            Error("vpc.subnets", "empty; list one private subnet per availability zone with its zone, id and cidr");
        }

        for (var i = 0; i < subnets.Count; i++)
        {
            var s = subnets[i];
            if (b.Region is { } r && !(s.Zone ?? string.Empty).StartsWith(r, StringComparison.Ordinal))
            {
                Error($"vpc.subnets[{i}].zone", $"'{s.Zone}' is not a zone of {r}; use e.g. {r}a");
            }

            if (!zones.TryAdd(s.Zone ?? string.Empty, s))
            {
                Error($"vpc.subnets[{i}].zone", $"'{s.Zone}' has two subnets; list one private subnet per zone");
            }

            if (Ipv4Cidr.TryParse(s.Cidr) is null)
            {
                Error($"vpc.subnets[{i}].cidr", $"'{s.Cidr}' is not an IPv4 CIDR; write it like 10.0.0.0/19");
            }
        }

        var pools = b.Pools ?? [];
        if (pools.Count == 0)
        {
            Error("pools", "empty; add at least one node pool");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < pools.Count; i++)
        {
            CheckPool(pools[i], $"pools[{i}]", zones, catalog, b.PrefixDelegation == true, names, Error, Warn);
        }
    }

    private static void CheckPool(BlueprintPool p, string path, Dictionary<string, BlueprintSubnet> zones, InstanceCatalog catalog, bool prefixDelegation, HashSet<string> names, Action<string, string> error, Action<string, string> warn)
    {
        if (!Team().IsMatch(p.Team ?? string.Empty))
        {
            error(path + ".team", $"'{p.Team}' is not a valid team name; use lowercase letters, digits and '-' (it becomes part of node-group names and labels)");
        }

        if (!ShapeSpec.TryParse(p.Spec, out var spec))
        {
            error(path + ".spec", $"'{p.Spec}' is not a spec; use <vCPU>c<GiB>g such as 8c64g, or small, medium or large");
        }
        else if (!names.Add($"{p.Team}-{p.Spec}-{p.Lifecycle}"))
        {
            error(path, $"a second pool for team {p.Team}, spec {p.Spec}, lifecycle {p.Lifecycle}; merge them or change one (node-group names must be unique)");
        }

        var min = p.MinSize ?? 0;
        if (min > p.MaxSize)
        {
            error(path + ".minSize", $"{min} is more than maxSize {p.MaxSize}; raise maxSize or lower minSize");
        }

        if (p.DesiredSize is { } desired && (desired < min || desired > p.MaxSize))
        {
            error(path + ".desiredSize", $"{desired} is outside [minSize {min}, maxSize {p.MaxSize}]; pick a value in that range");
        }

        foreach (var (zone, j) in (p.Zones ?? []).Select((z, j) => (z, j)))
        {
            if (!zones.ContainsKey(zone))
            {
                error($"{path}.zones[{j}]", $"'{zone}' has no subnet in vpc.subnets; add a subnet for it or remove the zone (known: {string.Join(", ", zones.Keys)})");
            }
        }

        var stateful = p.Role is "fe" or "be";
        if (stateful && p.Lifecycle == "spot")
        {
            error(path + ".lifecycle", $"a {p.Role?.ToUpperInvariant()} pool holds Doris data on EBS and must not run on Spot (a 2-minute notice is not enough to move it); use on-demand, and put CNs on Spot");
        }

        foreach (var (key, _) in p.Labels ?? new Dictionary<string, string>())
        {
            var prefix = key.Contains('/', StringComparison.Ordinal) ? key[..key.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
            if (prefix.EndsWith("kubernetes.io", StringComparison.Ordinal) || prefix.EndsWith("k8s.io", StringComparison.Ordinal))
            {
                error($"{path}.labels", $"'{key}' is in a Kubernetes-reserved namespace that kubelet may not set; use your own prefix such as node.spotmax/");
            }
        }

        var types = p.InstanceTypes ?? [];
        var known = new List<InstanceType>();
        for (var j = 0; j < types.Count; j++)
        {
            if (catalog.Find(types[j]) is not { } t)
            {
                var near = catalog.All.Select(x => x.Name).Where(n => n.Split('.')[0] == types[j].Split('.')[0]).Take(4).ToList();
                error($"{path}.instanceTypes[{j}]", $"'{types[j]}' is not a known instance type{(near.Count > 0 ? $" (same family: {string.Join(", ", near)})" : string.Empty)}; fix the name or load a complete table with --instance-data");
                continue;
            }

            known.Add(t);
            if (spec is { Exact: true } && (t.Vcpu != spec.Vcpu || t.MemoryMib != spec.MemoryMib))
            {
                error($"{path}.instanceTypes[{j}]", $"{t.Name} has {t.Vcpu} vCPU and {t.MemoryMib / 1024.0:0.#} GiB, not {spec.Text}; every type of a group needs the same shape or cluster-autoscaler mis-sizes nodes");
            }

            if (prefixDelegation && !t.Nitro)
            {
                error($"{path}.instanceTypes[{j}]", $"{t.Name} is not a Nitro instance, which prefix delegation needs; choose a Nitro type or turn prefixDelegation off");
            }
        }

        if (known.Select(t => t.Architecture).Distinct().Count() > 1)
        {
            error(path + ".instanceTypes", "mixes amd64 and arm64 types; one launch template has one AMI architecture, so split them into two pools");
        }

        if (known.Select(t => t.MaxPods).Distinct().Count() > 1)
        {
            warn(path + ".instanceTypes", $"the types allow different pod counts ({string.Join(", ", known.Select(t => $"{t.Name} {t.MaxPods}"))}); maxPods is set to the smallest for the whole group");
        }

        if (spec is not null && types.Count == 0)
        {
            var chosen = SpotChooser.Choose(catalog, spec, p.Architecture ?? "amd64", prefixDelegation, p.MinInstanceTypes ?? Planning.PlanDefaults.MinSpotTypes);
            if (chosen.Count == 0)
            {
                error(path + ".spec", $"no {p.Architecture ?? "amd64"} instance type has exactly {spec.Vcpu} vCPU and {spec.MemoryGib} GiB; pick a spec that exists (e.g. 8c64g, 16c64g, 8c32g) or list instanceTypes");
            }
            else if (p.Lifecycle == "spot" && chosen.Count < (p.MinInstanceTypes ?? Planning.PlanDefaults.MinSpotTypes))
            {
                warn(path + ".spec", $"only {chosen.Count} instance type(s) match {spec.Text} with one pod density ({string.Join(", ", chosen.Select(t => t.Name))}); fewer Spot pools mean more interruptions, consider another spec");
            }
        }
        else if (p.Lifecycle == "spot" && types.Count < 3)
        {
            warn(path + ".instanceTypes", $"{types.Count} type(s) for a Spot pool; list at least 3 (4 or more is better) from 2 or more families");
        }
    }

    internal static int? ParseVersion(string text) =>
        text.StartsWith("1.", StringComparison.Ordinal) && int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var minor) ? minor : null;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,99}$")]
    private static partial Regex Name();

    [GeneratedRegex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$")]
    private static partial Regex Region();

    [GeneratedRegex("^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$")]
    private static partial Regex KmsArn();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$")]
    private static partial Regex Team();
}

/// <summary>An IPv4 CIDR and how many addresses AWS lets instances use in it (5 per subnet are reserved).</summary>
public sealed record Ipv4Cidr(IPAddress Network, int PrefixLength)
{
    public long UsableAddresses => Math.Max(0, (1L << (32 - PrefixLength)) - 5);

    public static Ipv4Cidr? TryParse(string? text)
    {
        var parts = (text ?? string.Empty).Split('/');
        return parts.Length == 2 && IPAddress.TryParse(parts[0], out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var len) && len is >= 16 and <= 28
            ? new Ipv4Cidr(ip, len)
            : null;
    }
}
