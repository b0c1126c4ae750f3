using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;
using Doris.Eks.Instances;

namespace Doris.Eks.Lint;

/// <summary>Rules 12 and 13: supported node images, and the Doris host tuning in each image's own mechanism.</summary>
internal static class NodeImageRules
{
    public static IEnumerable<LintFinding> AmiFamily(LintInput input, InstanceCatalog catalog)
    {
        if (input.ClusterConfig is { } config && config["metadata"]?["version"] is null)
        {
            yield return new("EKS012", LintSeverity.Warning, "metadata.version", "no Kubernetes version: eksctl picks its current default, so two runs can create different clusters", "pin it, e.g. version: \"1.34\"");
        }

        var version = BlueprintRules.ParseVersion(LintGroup.Str(input.ClusterConfig?["metadata"]?["version"]) ?? "1.34");
        foreach (var g in input.Groups)
        {
            var family = g.AmiFamily;
            if (family == "AmazonLinux2" && version >= 33)
            {
                yield return new("EKS012", LintSeverity.Error, g.Path + ".amiFamily", $"EKS publishes no AL2 AMIs for Kubernetes 1.{version}", "use AmazonLinux2023 or Bottlerocket");
            }

            if (family.StartsWith("Bottlerocket", StringComparison.Ordinal))
            {
                foreach (var field in new[] { "preBootstrapCommands", "overrideBootstrapCommand", "kubeletExtraConfig" }.Where(f => g.Node[f] is not null))
                {
                    yield return new("EKS012", LintSeverity.Error, $"{g.Path}.{field}", "Bottlerocket runs no shell bootstrap", "move the settings to bottlerocket.settings");
                }

                foreach (var key in new[] { "node-labels", "node-taints", "max-pods" }.Where(k => g.Node["bottlerocket"]?["settings"]?["kubernetes"]?[k] is not null))
                {
                    yield return new("EKS012", LintSeverity.Error, $"{g.Path}.bottlerocket.settings.kubernetes.{key}", "eksctl rejects this setting", "use the group's labels, taints or maxPodsPerNode");
                }
            }

            if (LintGroup.Str(g.Node["ami"]) is { } ami && ami.StartsWith("ami-", StringComparison.Ordinal))
            {
                if (g.Node["amiFamily"] is null)
                {
                    yield return new("EKS012", LintSeverity.Error, g.Path + ".ami", $"custom AMI {ami} without amiFamily; eksctl cannot tell how to bootstrap it", "set amiFamily to the AMI's OS (AmazonLinux2023 or Bottlerocket)");
                }
                else if (family is "AmazonLinux2" || family.StartsWith("Ubuntu", StringComparison.Ordinal))
                {
                    if (g.Node["overrideBootstrapCommand"] is null)
                    {
                        yield return new("EKS012", LintSeverity.Error, g.Path + ".overrideBootstrapCommand", $"a custom {family} AMI needs its bootstrap command", "add overrideBootstrapCommand that runs /etc/eks/bootstrap.sh");
                    }
                }
            }
        }

        foreach (var (nodeClass, i) in input.NodeClasses.Select((n, i) => (n, i)))
        {
            foreach (var term in nodeClass["spec"]?["amiSelectorTerms"] as JsonArray ?? [])
            {
                if (LintGroup.Str(term?["alias"]) is { } alias && alias.EndsWith("@latest", StringComparison.Ordinal))
                {
                    yield return new("EKS012", LintSeverity.Warning, $"EC2NodeClass/{LintGroup.Str(nodeClass["metadata"]?["name"])}.spec.amiSelectorTerms", $"'{alias}' replaces every node on each AMI release (drift)", alias.StartsWith("bottlerocket@", StringComparison.Ordinal) ? "pin the release you run, e.g. bottlerocket@v1.54.0" : "pin a version, e.g. al2023@v20260724");
                }
            }
        }
    }

    public static IEnumerable<LintFinding> HostTuning(LintInput input, InstanceCatalog catalog)
    {
        foreach (var g in input.Groups.Where(g => g.Role is "be" or "cn"))
        {
            var bottlerocket = g.AmiFamily.StartsWith("Bottlerocket", StringComparison.Ordinal);
            var settings = g.Node["bottlerocket"]?["settings"];
            var boot = g.BootText;
            var mapCount = bottlerocket ? settings?["kernel"]?["sysctl"]?["vm.max_map_count"] is not null : boot.Contains("vm.max_map_count", StringComparison.Ordinal);
            var thp = bottlerocket ? settings?["boot"]?["kernel-parameters"]?["transparent_hugepage"] is not null : boot.Contains("transparent_hugepage", StringComparison.Ordinal);
            var swap = bottlerocket || boot.Contains("swapoff", StringComparison.Ordinal);
            var nofile = bottlerocket ? settings?["oci-defaults"]?["resource-limits"]?["max-open-files"] is not null : boot.Contains("RLIMIT_NOFILE", StringComparison.Ordinal);
            var fix = bottlerocket
                ? "set bottlerocket.settings kernel.sysctl \"vm.max_map_count\", boot.kernel-parameters transparent_hugepage [never] and oci-defaults.resource-limits.max-open-files 1000000"
                : "add preBootstrapCommands for vm.max_map_count=2000000, THP never and swapoff -a, and a NodeConfig containerd.baseRuntimeSpec RLIMIT_NOFILE 1000000 (dorisctl eks plan emits them)";
            if (!mapCount)
            {
                yield return new("EKS013", LintSeverity.Error, g.Path, $"a {g.Role.ToUpperInvariant()} group does not raise vm.max_map_count to 2000000; Doris BE fails to start below it unless a privileged init container sets it", fix);
            }

            if (!thp || !swap || !nofile)
            {
                var missing = new[] { (thp, "transparent hugepages off"), (swap, "swap off"), (nofile, "1,000,000 open files for containers") }.Where(x => !x.Item1).Select(x => x.Item2);
                yield return new("EKS013", LintSeverity.Warning, g.Path, $"missing Doris host tuning: {string.Join(", ", missing)}", fix);
            }
        }
    }
}
