using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;
using Doris.Eks.Planning;

namespace Doris.Eks.Artefacts;

/// <summary>
/// eksctl <c>ClusterConfig</c>: private self-managed node groups with IMDSv2, encrypted gp3 root volumes,
/// explicit maxPods, labels and taints plus the cluster-autoscaler template tags that mirror them
/// (taints as <c>value:Effect</c>, which eksctl's own propagation omits), secrets encryption and the EBS CSI addon.
/// </summary>
public static class EksctlConfigBuilder
{
    // The node role keeps only what the node itself needs: the VPC CNI, EBS CSI, cluster-autoscaler and NTH get
    // their permissions through Pod Identity, and pods get no IMDS (disablePodIMDS), so no pod borrows the node's.
    public static readonly string[] NodePolicies =
    [
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ];

    /// <summary>The on-demand managed group that runs Karpenter's controller.</summary>
    public const string SystemInstanceType = "m6i.large";

    public static JsonObject Build(Blueprint b, IReadOnlyList<NodeGroupPlan> groups)
    {
        var karpenter = b.Autoscaler == "karpenter";
        var config = new JsonObject
        {
            ["apiVersion"] = "eksctl.io/v1alpha5",
            ["kind"] = "ClusterConfig",
            ["metadata"] = new JsonObject
            {
                ["name"] = b.Name,
                ["region"] = b.Region,
                ["version"] = b.KubernetesVersion ?? PlanDefaults.KubernetesVersion,
                ["tags"] = Tags(b),
            },
            ["iam"] = Iam(b),
            ["vpc"] = Vpc(b),
            ["accessConfig"] = new JsonObject { ["authenticationMode"] = "API", ["bootstrapClusterCreatorAdminPermissions"] = true },
            ["cloudWatch"] = new JsonObject { ["clusterLogging"] = new JsonObject { ["enableTypes"] = Yaml.Strings(PlanDefaults.ControlPlaneLogTypes), ["logRetentionInDays"] = PlanDefaults.LogRetentionDays } },
        };
        if (b.KmsKeyArn is { } key)
        {
            config["secretsEncryption"] = new JsonObject { ["keyARN"] = key };
        }

        config["addons"] = Addons.Eksctl(b, EbsCsiAddon(b));
        if (karpenter)
        {
            config["karpenter"] = new JsonObject { ["version"] = KarpenterBuilder.Version, ["createServiceAccount"] = true, ["withSpotInterruptionQueue"] = true };

            // Karpenter's own controller needs nodes it does not manage: a small on-demand managed group.
            config["managedNodeGroups"] = new JsonArray(new JsonObject
            {
                ["name"] = "system",
                ["amiFamily"] = AmiFamily(b),
                ["instanceType"] = SystemInstanceType,

                // Explicit, like every group: with prefix delegation the image's default would waste the prefixes.
                ["maxPodsPerNode"] = Doris.Eks.Instances.InstanceCatalog.Default.Find(SystemInstanceType)!.RecommendedMaxPods(b.PrefixDelegation == true),
                ["minSize"] = 2,
                ["maxSize"] = 3,
                ["desiredCapacity"] = 2,
                ["privateNetworking"] = true,
                ["volumeSize"] = 50,
                ["volumeType"] = "gp3",
                ["volumeEncrypted"] = true,
                ["labels"] = new JsonObject { [PlanDefaults.RoleLabel] = "system" },
            });
        }
        else
        {
            config["nodeGroups"] = new JsonArray([.. groups.Select(g => (JsonNode?)NodeGroup(b, g))]);
        }

        return config;
    }

    // cluster-autoscaler and NTH through Pod Identity (Karpenter's own identity comes with eksctl's karpenter block,
    // and a Karpenter cluster runs neither); OIDC stays for users who prefer IRSA.
    private static JsonObject Iam(Blueprint b)
    {
        var iam = new JsonObject { ["withOIDC"] = true };
        if (b.Autoscaler != "karpenter")
        {
            iam["podIdentityAssociations"] = IamBuilder.EksctlAssociations(b);
        }

        return iam;
    }

    // The EBS CSI controller's role: AWS's policy, plus the customer key through EC2 when the blueprint has one.
    private static JsonObject EbsCsiAddon(Blueprint b)
    {
        var association = new JsonObject
        {
            ["namespace"] = IamBuilder.Namespace,
            ["serviceAccountName"] = IamBuilder.EbsCsiServiceAccount,
            ["permissionPolicyARNs"] = Yaml.Strings(["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]),
        };
        if (IamBuilder.EbsCsiKmsPolicy(b) is { } kms)
        {
            association["permissionPolicy"] = kms;
        }

        return new JsonObject { ["name"] = "aws-ebs-csi-driver", ["podIdentityAssociations"] = new JsonArray(association) };
    }

    // eksctl tags every resource it creates with metadata.tags; the cluster security group gets Karpenter's discovery
    // tag only from here, and without it the node classes find no security group and Karpenter launches nothing.
    private static JsonObject Tags(Blueprint b)
    {
        var tags = new JsonObject { ["app.kubernetes.io/managed-by"] = "dorisctl" };
        if (b.Autoscaler == "karpenter")
        {
            tags[KarpenterBuilder.DiscoveryTag] = b.Name;
        }

        return tags;
    }

    private static JsonObject Vpc(Blueprint b)
    {
        var subnets = new JsonObject();
        foreach (var s in b.Vpc!.Subnets!)
        {
            subnets[s.Zone!] = new JsonObject { ["id"] = s.Id };
        }

        var vpc = new JsonObject { ["subnets"] = new JsonObject { ["private"] = subnets } };
        if (b.Vpc.Id is { } id)
        {
            vpc["id"] = id;
        }

        return vpc;
    }

    internal static string AmiFamily(Blueprint b) => (b.NodeOs ?? PlanDefaults.NodeOs) switch
    {
        "Bottlerocket" => "Bottlerocket",
        "AL2" => "AmazonLinux2",
        _ => "AmazonLinux2023",
    };

    private static JsonObject NodeGroup(Blueprint b, NodeGroupPlan g)
    {
        var os = b.NodeOs ?? PlanDefaults.NodeOs;
        var ng = new JsonObject
        {
            ["name"] = g.Name,
            ["amiFamily"] = AmiFamily(b),
            ["availabilityZones"] = Yaml.Strings(g.Zones),
            ["privateNetworking"] = true,
            ["minSize"] = g.MinSize,
            ["maxSize"] = g.MaxSize,
            ["desiredCapacity"] = g.DesiredSize,
        };
        if (g.Spot)
        {
            ng["instanceType"] = "mixed";
            ng["instancesDistribution"] = new JsonObject
            {
                ["instanceTypes"] = Yaml.Strings(g.Types.Select(t => t.Name)),
                ["onDemandBaseCapacity"] = 0,
                ["onDemandPercentageAboveBaseCapacity"] = 0,
                ["spotAllocationStrategy"] = "capacity-optimized",
                ["capacityRebalance"] = true,
            };
        }
        else
        {
            ng["instanceType"] = g.Base.Name;
        }

        ng["volumeSize"] = g.Pool.VolumeSize ?? PlanDefaults.VolumeSizeGib;
        ng["volumeType"] = "gp3";
        ng["volumeEncrypted"] = true;
        if (b.KmsKeyArn is { } key)
        {
            ng["volumeKmsKeyID"] = key;
        }

        ng["disableIMDSv1"] = true;
        ng["maxPodsPerNode"] = g.MaxPods;
        ng["labels"] = Yaml.Map(g.Labels);
        if (g.Taints.Count > 0)
        {
            ng["taints"] = new JsonArray([.. g.Taints.Select(t => (JsonNode?)new JsonObject { ["key"] = t.Key, ["value"] = t.Value ?? string.Empty, ["effect"] = t.Effect })]);
        }

        ng["iam"] = new JsonObject { ["attachPolicyARNs"] = Yaml.Strings(NodePolicies) };
        ng["disablePodIMDS"] = true;
        if (g.Stateful)
        {
            // AZRebalance would terminate a node holding a BE's volume to even out zones.
            ng["asgSuspendProcesses"] = Yaml.Strings(["AZRebalance"]);
        }

        // eksctl puts node-group tags on the ASG and propagates them to instances: cluster-autoscaler reads the
        // former, NTH (queue mode) and cost reports the latter.
        ng["tags"] = Yaml.Map(new SortedDictionary<string, string>(ClusterAutoscalerBuilder.GroupTags(b, g).Concat(TerraformBuilder.InstanceTags(b, g)).ToDictionary(), StringComparer.Ordinal));
        if (g.NeedsHostTuning)
        {
            if (os == "Bottlerocket")
            {
                ng["bottlerocket"] = new JsonObject { ["settings"] = BottlerocketUserData.TuningSettings() };
            }
            else
            {
                ng["preBootstrapCommands"] = Yaml.Strings(HostTuning.Al2023Commands);
                if (os == "AL2023")
                {
                    ng["overrideBootstrapCommand"] = HostTuning.Al2023OpenFilesNodeConfig;
                }
            }
        }

        return ng;
    }
}
