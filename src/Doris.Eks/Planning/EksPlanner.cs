using System.Text.Json.Nodes;
using Doris.Eks.Artefacts;
using Doris.Eks.Blueprints;
using Doris.Eks.Instances;
using Doris.Kubernetes.Serialization;

namespace Doris.Eks.Planning;

/// <summary>The planner: a validated blueprint in, every artefact out. Pure: no clock, no AWS, no files.</summary>
public static class EksPlanner
{
    public static readonly string[] Formats = ["eksctl", "karpenter", "terraform"];

    public static EksPlan Plan(Blueprint b, InstanceCatalog catalog)
    {
        var groups = GroupResolver.Resolve(b, catalog);
        var subnets = IpPlanner.Plan(b, groups);
        var karpenter = b.Autoscaler == "karpenter";
        var bottlerocket = b.NodeOs == "Bottlerocket";
        var artefacts = new List<PlanArtefact>
        {
            new("eksctl-cluster.yaml", "eksctl", Yaml(EksctlConfigBuilder.Build(b, groups))),
            new("storageclass-gp3-encrypted.yaml", "common", Yaml(StorageClassBuilder.Build(b))),
            new("aws-node-env.yaml", "common", Yaml(CniBuilder.Artefact(b))),
            new("doris-placement.yaml", "common", Yaml(PlacementBuilder.Build(groups))),
        };
        var notes = new List<string>
        {
            $"Claims: set storageClassName: {StorageClassBuilder.Name} in each persistentVolumeClaimSpec of the DorisCluster (doris-placement.yaml carries only placement).",
        };
        if (karpenter)
        {
            artefacts.Add(new("karpenter.yaml", "karpenter", YamlWriter.WriteAll(KarpenterBuilder.Build(b, groups))));
            notes.Add("Karpenter handles Spot interruptions through its SQS queue (eksctl karpenter.withSpotInterruptionQueue); do not also run aws-node-termination-handler draining on its nodes.");
        }
        else
        {
            artefacts.Add(new("cluster-autoscaler-flags.txt", "eksctl", string.Join("\n", ClusterAutoscalerBuilder.Flags(b)) + "\n"));
            artefacts.Add(new("cluster-autoscaler-priority-expander.yaml", "eksctl", Yaml(ClusterAutoscalerBuilder.PriorityExpander(groups))));
            artefacts.Add(new("node-termination-handler-values.yaml", "eksctl", Yaml(TerminationHandlerBuilder.Build(b))));
            artefacts.Add(new("aws/nth-queue.cfn.yaml", "common", Yaml(CloudFormationBuilder.TerminationQueue(b))));
            artefacts.Add(new("aws/nth-lifecycle-hooks.sh", "eksctl", CloudFormationBuilder.LifecycleHookScript(b, groups)));
            artefacts.Add(new("terraform.tfvars.json", "terraform", TerraformBuilder.Build(b, groups).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n"));
            artefacts.Add(new("pod-identity.tf", "terraform", TerraformPodIdentityBuilder.Build(b)));
            foreach (var g in groups)
            {
                artefacts.Add(bottlerocket
                    ? new($"userdata/{g.Name}.toml", "terraform", BottlerocketUserData.Build(b, g))
                    : new($"userdata/{g.Name}.mime", "terraform", Al2023UserData.Build(b, g)));
            }
        }

        artefacts.AddRange(IamArtefacts(b, karpenter));
        if (CloudFormationBuilder.VpcEndpoints(b) is { } endpoints)
        {
            artefacts.Add(new("aws/vpc-endpoints.cfn.yaml", "common", Yaml(endpoints)));
        }

        if (b.PrefixDelegation == true)
        {
            notes.Add("Prefix delegation allocates /28 blocks: give nodes dedicated subnets or 'prefix' CIDR reservations, or launches fail with InsufficientCidrBlocks in fragmented subnets.");
        }

        foreach (var s in subnets.Where(s => !s.Fits))
        {
            notes.Add($"Subnet {s.SubnetId} ({s.Zone}, {s.Cidr}) holds {s.Usable} addresses but the groups need up to {s.Needed} at maximum size: use a larger subnet, lower maxSize, or enable prefix delegation.");
        }

        return new EksPlan(groups, subnets, artefacts, notes);
    }

    // Plain IAM JSON, for whoever creates the roles (eksctl already carries them inline; Terraform users attach them
    // to Pod Identity roles, e.g. with terraform-aws-modules/eks-pod-identity).
    private static IEnumerable<PlanArtefact> IamArtefacts(Blueprint b, bool karpenter)
    {
        if (!karpenter)
        {
            yield return new("iam/cluster-autoscaler-policy.json", "common", Json(IamBuilder.ClusterAutoscalerPolicy(b)));
            yield return new("iam/node-termination-handler-policy.json", "common", Json(IamBuilder.TerminationHandlerPolicy(b)));
        }

        if (IamBuilder.EbsCsiKmsPolicy(b) is { } ebs)
        {
            yield return new("iam/ebs-csi-kms-policy.json", "common", Json(ebs));
        }

        if (IamBuilder.KmsKeyPolicy(b) is { } key)
        {
            yield return new("iam/kms-key-policy.json", "common", Json(key));
        }
    }

    private static string Json(JsonNode node) => node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";

    private static string Yaml(JsonNode node) => YamlWriter.WriteAll([node]);
}
