using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;
using Doris.Eks.Planning;

namespace Doris.Eks.Artefacts;

/// <summary>
/// Inputs for terraform-aws-modules/eks v21 (<c>name</c>, <c>kubernetes_version</c>, <c>self_managed_node_groups</c>),
/// as a .tfvars.json. The module writes each node's bootstrap itself (AL2023: a NodeConfig with the cluster's
/// endpoint and CA after <c>cloudinit_pre_nodeadm</c>; Bottlerocket: <c>[settings.kubernetes]</c> with them, then
/// <c>bootstrap_extra_args</c>), so what we add never repeats the cluster connection.
/// </summary>
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
                ["block_device_mappings"] = BlockDevices(b, g),

                // cluster-autoscaler reads these from the ASG itself (the module does not propagate them).
                ["autoscaling_group_tags"] = Yaml.Map(ClusterAutoscalerBuilder.GroupTags(b, g)),

                // NTH in queue mode checks the instance's own tags, and cost reports group by team: these must
                // reach the instances, which the module does for `tags` (propagate_at_launch) only.
                ["tags"] = Yaml.Map(InstanceTags(b, g)),
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

                // No spec.cluster: the module's own NodeConfig part carries the endpoint and CA, and nodeadm would
                // try to base64-decode a placeholder here.
                parts.Add((JsonNode)new JsonObject { ["content_type"] = "application/node.eks.aws", ["content"] = Al2023UserData.NodeConfigPart(b, g, withCluster: false) });
                group["cloudinit_pre_nodeadm"] = parts;
            }
            else
            {
                group["bootstrap_extra_args"] = BottlerocketUserData.ExtraArgs(g);
            }

            // NTH completes the termination lifecycle action once the node is drained (ASG scale-in, rebalancing).
            group["initial_lifecycle_hooks"] = new JsonArray(new JsonObject
            {
                ["name"] = "node-termination-handler",
                ["lifecycle_transition"] = "autoscaling:EC2_INSTANCE_TERMINATING",
                ["heartbeat_timeout"] = TerminationHandlerBuilder.LifecycleHeartbeatSeconds,
                ["default_result"] = "CONTINUE",
            });

            nodeGroups[g.Name] = group;
        }

        var root = new JsonObject
        {
            ["name"] = b.Name,
            ["kubernetes_version"] = b.KubernetesVersion ?? PlanDefaults.KubernetesVersion,
            ["enabled_log_types"] = Yaml.Strings(PlanDefaults.ControlPlaneLogTypes),
            ["authentication_mode"] = "API",

            // Pod Identity for the add-ons: create their roles from iam/*.json (e.g. terraform-aws-modules/eks-pod-identity)
            // and add each role as a pod_identity_association here; the agent must run before nodes join.
            ["addons"] = Addons.Terraform(b),
            ["self_managed_node_groups"] = nodeGroups,
        };
        if (b.KmsKeyArn is { } key)
        {
            root["create_kms_key"] = false;
            root["encryption_config"] = new JsonObject { ["provider_key_arn"] = key, ["resources"] = Yaml.Strings(["secrets"]) };
        }

        return root;
    }

    /// <summary>The tags each instance carries: NTH's managed tag, the team for cost allocation, the group.</summary>
    public static IReadOnlyDictionary<string, string> InstanceTags(Blueprint b, NodeGroupPlan g) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        [PlanDefaults.NthManagedTag] = "true",
        [PlanDefaults.CostTeamTag] = g.Pool.Team ?? "default",
        ["app.kubernetes.io/managed-by"] = "dorisctl",
    };

    // Bottlerocket boots from /dev/xvda (its small OS volume) and keeps images and pod data on /dev/xvdb; AL2023 has
    // one root volume on /dev/xvda. Both encrypted with the blueprint's key.
    private static JsonObject BlockDevices(Blueprint b, NodeGroupPlan g)
    {
        JsonObject Ebs(int size) => new() { ["volume_size"] = size, ["volume_type"] = "gp3", ["encrypted"] = true, ["kms_key_id"] = b.KmsKeyArn };
        var data = g.Pool.VolumeSize ?? PlanDefaults.VolumeSizeGib;
        return b.NodeOs == "Bottlerocket"
            ? new JsonObject
            {
                ["xvda"] = new JsonObject { ["device_name"] = "/dev/xvda", ["ebs"] = Ebs(PlanDefaults.BottlerocketOsVolumeGib) },
                ["xvdb"] = new JsonObject { ["device_name"] = "/dev/xvdb", ["ebs"] = Ebs(data) },
            }
            : new JsonObject { ["xvda"] = new JsonObject { ["device_name"] = "/dev/xvda", ["ebs"] = Ebs(data) } };
    }
}
