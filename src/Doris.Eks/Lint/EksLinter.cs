using Doris.Eks.Instances;

namespace Doris.Eks.Lint;

/// <summary>Checks existing EKS configuration against the practices in the source documents; every rule is listed here.</summary>
public static class EksLinter
{
    public static IReadOnlyList<LintRule> Rules { get; } =
    [
        new("EKS001", "uniform vCPU and memory per node group", InstanceRules.UniformShape),
        new("EKS002", "uniform architecture and pod density per node group", InstanceRules.UniformArchitectureAndPods),
        new("EKS003", "Spot diversification and allocation strategy", InstanceRules.SpotDiversification),
        new("EKS004", "cluster-autoscaler discovery tags and flags", AutoscalerRules.DiscoveryTags),
        new("EKS005", "node-template tags mirror labels and taints", AutoscalerRules.TemplateTags),
        new("EKS006", "stateful (FE/BE) groups are single-zone and on-demand", PlacementRules.StatefulGroups),
        new("EKS007", "per-zone siblings are balanced", AutoscalerRules.BalancedSiblings),
        new("EKS008", "priority expander puts Spot before on-demand", AutoscalerRules.Expander),
        new("EKS009", "prefix delegation is consistent", NetworkRules.PrefixDelegation),
        new("EKS010", "VPC CNI warm pool is sane", NetworkRules.WarmPool),
        new("EKS011", "subnets can hold the pods", NetworkRules.SubnetCapacity),
        new("EKS012", "supported node image and bootstrap fields", NodeImageRules.AmiFamily),
        new("EKS013", "Doris host tuning on BE/CN nodes", NodeImageRules.HostTuning),
        new("EKS014", "encryption everywhere", EncryptionRules.Encryption),
        new("EKS015", "one interruption handler per capacity source", PlacementRules.InterruptionHandler),
        new("EKS016", "private nodes without SSH keys", AccessRules.PrivateNodes),
        new("EKS017", "EBS volume sizes, IOPS and throughput within what EC2 creates", VolumeRules.Bounds),
        new("EKS018", "Terraform AL2023 parts leave the cluster connection to the module", SeamRules.TerraformNodeadm),
        new("EKS019", "Terraform Bottlerocket extra args continue the module's [settings.kubernetes]", SeamRules.TerraformBottlerocketToml),
        new("EKS020", "Bottlerocket data on /dev/xvdb, not the OS volume", SeamRules.BottlerocketDataVolume),
        new("EKS021", "NTH's managed tag reaches the instances", SeamRules.TerraformNthTag),
        new("EKS022", "terraform-aws-eks v21 input names", SeamRules.TerraformInputNames),
        new("EKS023", "Karpenter node classes match what eksctl creates", SeamRules.KarpenterEksctl),
        new("EKS024", "add-on permissions on their own roles, not the node role", SeamRules.NodeRoleAddOnPolicies),
        new("EKS025", "Spot taints that keep FE/BE off Spot", SeamRules.SoftSpotTaint),
    ];

    public static IReadOnlyList<LintFinding> Lint(LintInput input, InstanceCatalog catalog)
    {
        var findings = new List<LintFinding>();
        if (input.ClusterConfig is { } config)
        {
            findings.AddRange(EksctlSchema.Validate(WithListTaints(config)).Select(v => new LintFinding("EKS000", LintSeverity.Error, v.Path, v.Message, "eksctl rejects fields and types it does not know")));
        }

        foreach (var rule in Rules)
        {
            try
            {
                findings.AddRange(rule.Check(input, catalog).ToList());
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidCastException or OverflowException)
            {
                // A rule walks the shapes the real tools document; a document that has a list where a map belongs
                // (or a number where a string does) cannot be checked, and that is a finding, not a crash.
                findings.Add(new LintFinding(rule.Id, LintSeverity.Error, "<input>", $"cannot check '{rule.Title}': a field has the wrong type ({e.Message})", "fix the document's shape first; eksctl, kubectl --dry-run=server or the tool's schema names the field"));
            }
        }

        return findings;
    }

    /// <summary>eksctl also accepts taints as a map (<c>key: "value:Effect"</c>), which its published schema does not describe.</summary>
    private static System.Text.Json.Nodes.JsonNode WithListTaints(System.Text.Json.Nodes.JsonObject config)
    {
        var copy = config.DeepClone();
        foreach (var group in (copy["nodeGroups"] as System.Text.Json.Nodes.JsonArray ?? []).OfType<System.Text.Json.Nodes.JsonObject>())
        {
            if (group["taints"] is System.Text.Json.Nodes.JsonObject map)
            {
                group["taints"] = new System.Text.Json.Nodes.JsonArray([.. map.Select(kv => (System.Text.Json.Nodes.JsonNode?)new System.Text.Json.Nodes.JsonObject
                {
                    ["key"] = kv.Key,
                    ["value"] = (kv.Value?.ToString() ?? string.Empty).Split(':')[0],
                    ["effect"] = (kv.Value?.ToString() ?? string.Empty).Split(':').ElementAtOrDefault(1) ?? string.Empty,
                })]);
            }
        }

        return copy;
    }
}
