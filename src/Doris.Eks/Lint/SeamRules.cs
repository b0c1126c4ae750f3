using System.Text.Json.Nodes;
using Doris.Eks.Instances;

namespace Doris.Eks.Lint;

/// <summary>
/// Rules for where two tools meet: a file that each tool accepts on its own and that still yields nodes that never
/// join, a handler that never drains, or Karpenter launching nothing. Each names the seam in its reason.
/// </summary>
internal static class SeamRules
{
    private const string NthTag = "aws-node-termination-handler/managed";

    /// <summary>EKS018: terraform-aws-eks already writes the cluster's NodeConfig; a pre-nodeadm part that repeats it (often with unexpanded placeholders) breaks nodeadm.</summary>
    public static IEnumerable<LintFinding> TerraformNodeadm(LintInput input, InstanceCatalog catalog)
    {
        foreach (var (name, group) in TerraformGroups(input))
        {
            foreach (var (part, i) in (group["cloudinit_pre_nodeadm"] as JsonArray ?? []).OfType<JsonObject>().Select((p, i) => (p, i)))
            {
                var content = LintGroup.Str(part["content"]) ?? string.Empty;
                if (LintGroup.Str(part["content_type"]) == "application/node.eks.aws" && (content.Contains("certificateAuthority:", StringComparison.Ordinal) || content.Contains("apiServerEndpoint:", StringComparison.Ordinal)))
                {
                    yield return new("EKS018", LintSeverity.Error, $"self_managed_node_groups.{name}.cloudinit_pre_nodeadm[{i}]",
                        "this NodeConfig repeats spec.cluster, which the module's own NodeConfig part already carries; Terraform does not expand placeholders here, so nodeadm fails to decode certificateAuthority and the node never joins",
                        "remove spec.cluster from the part and keep only kubelet/containerd settings");
                }
            }
        }
    }

    /// <summary>EKS019: the module's Bottlerocket template ends inside <c>[settings.kubernetes]</c>; declaring it again is invalid TOML.</summary>
    public static IEnumerable<LintFinding> TerraformBottlerocketToml(LintInput input, InstanceCatalog catalog)
    {
        foreach (var (name, group) in TerraformGroups(input))
        {
            var args = LintGroup.Str(group["bootstrap_extra_args"]) ?? string.Empty;
            if (args.Split('\n').Any(l => l.Trim() is "[settings.kubernetes]" or "[ settings.kubernetes ]"))
            {
                yield return new("EKS019", LintSeverity.Error, $"self_managed_node_groups.{name}.bootstrap_extra_args",
                    "declares [settings.kubernetes] again after the module's template has; Bottlerocket cannot parse the user data and the node never joins",
                    "start bootstrap_extra_args with the keys (max-pods = ...) and only open sub-tables such as [settings.kubernetes.node-labels]");
            }
        }
    }

    /// <summary>EKS020: Bottlerocket boots from /dev/xvda (its OS volume); images and pod data live on /dev/xvdb.</summary>
    public static IEnumerable<LintFinding> BottlerocketDataVolume(LintInput input, InstanceCatalog catalog)
    {
        foreach (var (name, group) in TerraformGroups(input))
        {
            if (!(LintGroup.Str(group["ami_type"]) ?? string.Empty).StartsWith("BOTTLEROCKET", StringComparison.Ordinal) || group["block_device_mappings"] is not JsonObject devices)
            {
                continue;
            }

            var names = devices.Select(d => LintGroup.Str(d.Value?["device_name"])).ToList();
            if (names.Contains("/dev/xvda") && !names.Contains("/dev/xvdb"))
            {
                yield return new("EKS020", LintSeverity.Error, $"self_managed_node_groups.{name}.block_device_mappings",
                    "the only volume is /dev/xvda, Bottlerocket's OS disk; images and pod data go to /dev/xvdb, which keeps the AMI's small default size",
                    "size the data volume as /dev/xvdb (and keep /dev/xvda small)");
            }
        }
    }

    /// <summary>EKS021: NTH in queue mode checks the instance's tags; terraform-aws-eks does not propagate autoscaling_group_tags to instances.</summary>
    public static IEnumerable<LintFinding> TerraformNthTag(LintInput input, InstanceCatalog catalog)
    {
        foreach (var (name, group) in TerraformGroups(input))
        {
            var onAsg = (group["autoscaling_group_tags"] as JsonObject)?.ContainsKey(NthTag) == true;
            var onInstances = (group["tags"] as JsonObject)?.ContainsKey(NthTag) == true;
            if (onAsg && !onInstances)
            {
                yield return new("EKS021", LintSeverity.Error, $"self_managed_node_groups.{name}.autoscaling_group_tags.{NthTag}",
                    "the module writes autoscaling_group_tags with propagate_at_launch = false, so instances never carry it and NTH (checkTagBeforeDraining) skips every interruption and scale-in",
                    $"move {NthTag} to the group's tags, which reach the instances");
            }
        }
    }

    /// <summary>EKS022: terraform-aws-eks v21 renamed the cluster inputs; Terraform ignores the old names with a warning.</summary>
    public static IEnumerable<LintFinding> TerraformInputNames(LintInput input, InstanceCatalog catalog)
    {
        if (input.TerraformVars is not { } vars)
        {
            yield break;
        }

        foreach (var (old, now) in new[] { ("cluster_name", "name"), ("cluster_version", "kubernetes_version"), ("cluster_enabled_log_types", "enabled_log_types") })
        {
            if (vars.ContainsKey(old))
            {
                yield return new("EKS022", LintSeverity.Error, old, $"a v20 input name: terraform-aws-eks v21 declares '{now}', and Terraform drops an undeclared variable", $"rename it to {now}");
            }
        }
    }

    /// <summary>EKS023: eksctl's karpenter block names the node role and tags the security group only in its own way.</summary>
    public static IEnumerable<LintFinding> KarpenterEksctl(LintInput input, InstanceCatalog catalog)
    {
        if (input.ClusterConfig?["karpenter"] is not JsonObject)
        {
            yield break;
        }

        var cluster = input.ClusterName;
        var tagged = (input.ClusterConfig["metadata"]?["tags"] as JsonObject)?.ContainsKey("karpenter.sh/discovery") == true;
        foreach (var nodeClass in input.NodeClasses)
        {
            var path = $"EC2NodeClass/{LintGroup.Str(nodeClass["metadata"]?["name"])}.spec";
            if (LintGroup.Str(nodeClass["spec"]?["role"]) == $"KarpenterNodeRole-{cluster}")
            {
                yield return new("EKS023", LintSeverity.Error, path + ".role", $"eksctl's karpenter block creates the node role as eksctl-KarpenterNodeRole-{cluster}; no role of this name exists, so every launch fails", $"set role: eksctl-KarpenterNodeRole-{cluster}");
            }

            var selectsByTag = (nodeClass["spec"]?["securityGroupSelectorTerms"] as JsonArray ?? []).Any(t => (t?["tags"] as JsonObject)?.ContainsKey("karpenter.sh/discovery") == true);
            if (selectsByTag && !tagged)
            {
                yield return new("EKS023", LintSeverity.Error, path + ".securityGroupSelectorTerms", "selects security groups by karpenter.sh/discovery, which eksctl puts on the cluster security group only when metadata.tags has it; none matches and Karpenter launches nothing", $"add karpenter.sh/discovery: {cluster} to the ClusterConfig's metadata.tags");
            }
        }
    }

    /// <summary>EKS024: add-on permissions on the node role are every pod's (IMDS), or nobody's once pod IMDS is blocked.</summary>
    public static IEnumerable<LintFinding> NodeRoleAddOnPolicies(LintInput input, InstanceCatalog catalog)
    {
        foreach (var g in input.Groups)
        {
            if (LintGroup.IsTrue(g.Node["iam"]?["withAddonPolicies"]?["autoScaler"]))
            {
                yield return new("EKS024", LintSeverity.Error, g.Path + ".iam.withAddonPolicies.autoScaler",
                    "cluster-autoscaler's permissions on the node role reach every pod on the node through IMDS (any pod can resize or terminate groups), or no pod at all with disablePodIMDS",
                    "give cluster-autoscaler its own role: iam.podIdentityAssociations (wellKnownPolicies autoScaler or a policy scoped by the cluster's group tag) with the eks-pod-identity-agent add-on");
            }
        }
    }

    /// <summary>EKS025: a PreferNoSchedule taint on Spot only discourages; FE and BE still land there when on-demand is full.</summary>
    public static IEnumerable<LintFinding> SoftSpotTaint(LintInput input, InstanceCatalog catalog)
    {
        foreach (var g in input.Groups.Where(g => g.Spot))
        {
            var effects = Taints(g.Node["taints"]).ToList();
            if (effects.Count > 0 && effects.All(e => e == "PreferNoSchedule"))
            {
                yield return new("EKS025", LintSeverity.Warning, g.Path + ".taints",
                    "PreferNoSchedule only discourages scheduling: FE and BE pods (which must not be reclaimed with two minutes' notice) still land on Spot when other nodes are full",
                    "use NoSchedule on Spot groups and tolerate it only in CN pods (dorisctl's spotPolicy does this)");
            }
        }
    }

    // eksctl taints come as a list of {key, value, effect} or a map key: "value:Effect".
    private static IEnumerable<string> Taints(JsonNode? taints) => taints switch
    {
        JsonArray list => list.Select(t => LintGroup.Str(t?["effect"]) ?? string.Empty),
        JsonObject map => map.Select(kv => (LintGroup.Str(kv.Value) ?? string.Empty).Split(':').Last()),
        _ => [],
    };

    private static IEnumerable<(string Name, JsonObject Group)> TerraformGroups(LintInput input) =>
        (input.TerraformVars?["self_managed_node_groups"] as JsonObject ?? []).Where(kv => kv.Value is JsonObject).Select(kv => (kv.Key, kv.Value!.AsObject()));
}
