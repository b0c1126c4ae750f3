using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;
using Doris.Eks.Planning;

namespace Doris.Eks.Artefacts;

/// <summary>Inputs for terraform-aws-modules/eks self-managed node groups (<c>self_managed_node_groups</c>), as a .tfvars.json.</summary>
public static class TerraformBuilder
{
    public static JsonObject Build(Blueprint b, IReadOnlyList<NodeGroupPlan> groups)
    {
        var nodeGroups = new JsonObject();
        foreach (var g in groups)
        {
            var subnetIds = Yaml.Strings(b.Vpc!.Subnets!.Where(s => g.Zones.Contains(s.Zone!)).Select(s => s.Id!));
            var group = new JsonObject
            {
                ["name"] = g.Name,
                ["ami_type"] = b.NodeOs == "Bottlerocket" ? (g.Base.Architecture == "arm64" ? "BOTTLEROCKET_ARM_64" : "BOTTLEROCKET_x86_64") : (g.Base.Architecture == "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD"),
                ["min_size"] = g.MinSize,
                ["max_size"] = g.MaxSize,
                ["desired_size"] = g.DesiredSize,
                ["subnet_ids"] = subnetIds,
                ["instance_type"] = g.Base.Name,
                ["metadata_options"] = new JsonObject { ["http_tokens"] = "required", ["http_put_response_hop_limit"] = 1 },
                ["block_device_mappings"] = new JsonObject
                {
                    ["xvda"] = new JsonObject
                    {
                        ["device_name"] = "/dev/xvda",
                        ["ebs"] = new JsonObject { ["volume_size"] = g.Pool.VolumeSize ?? PlanDefaults.VolumeSizeGib, ["volume_type"] = "gp3", ["encrypted"] = true, ["kms_key_id"] = b.KmsKeyArn },
                    },
                },
                ["autoscaling_group_tags"] = Yaml.Map(ClusterAutoscalerBuilder.GroupTags(b, g)),
            };
            if (g.Spot)
            {
                group["use_mixed_instances_policy"] = true;
                group["capacity_rebalance"] = true;
                group["mixed_instances_policy"] = new JsonObject
                {
                    ["instances_distribution"] = new JsonObject
                    {
                        ["on_demand_base_capacity"] = 0,
                        ["on_demand_percentage_above_base_capacity"] = 0,
                        ["spot_allocation_strategy"] = "capacity-optimized",
                    },
                    ["launch_template"] = new JsonObject { ["override"] = new JsonArray([.. g.Types.Select(t => (JsonNode?)new JsonObject { ["instance_type"] = t.Name })]) },
                };
            }

            if (g.Stateful)
            {
                group["suspended_processes"] = Yaml.Strings(["AZRebalance"]);
            }

            if (b.NodeOs != "Bottlerocket")
            {
                var parts = new JsonArray();
                if (Al2023UserData.ShellPart(g) is { } shell)
                {
                    parts.Add((JsonNode)new JsonObject { ["content_type"] = "text/x-shellscript", ["content"] = shell });
                }

                parts.Add((JsonNode)new JsonObject { ["content_type"] = "application/node.eks.aws", ["content"] = Al2023UserData.NodeConfigPart(b, g) });
                group["cloudinit_pre_nodeadm"] = parts;
            }
            else
            {
                group["bootstrap_extra_args"] = BottlerocketUserData.Build(b, g);
            }

            nodeGroups[g.Name] = group;
        }

        return new JsonObject { ["cluster_name"] = b.Name, ["cluster_version"] = b.KubernetesVersion ?? PlanDefaults.KubernetesVersion, ["self_managed_node_groups"] = nodeGroups };
    }
}
