using System.Text.Json.Nodes;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Eks.Tests;

/// <summary>
/// The add-ons' AWS permissions: their own Pod Identity roles, least privilege, scoped by tags the plan really puts
/// on its groups; the node role keeps only what nodes need and pods cannot reach it; the KMS key lets Auto Scaling,
/// EBS and Karpenter use it.
/// </summary>
public sealed class IamTests
{
    private static Planning.EksPlan Plan(string name) => Blueprints.Plan(Path.Combine(SharedFiles.RepositoryRoot, "examples", "eks", name));

    private static JsonObject Json(Planning.EksPlan plan, string path) => JsonNode.Parse(plan.Artefacts.Single(a => a.Path == path).Content)!.AsObject();

    private static JsonObject Eksctl(Planning.EksPlan plan) => YamlReader.Read(plan.Artefacts.Single(a => a.Path == "eksctl-cluster.yaml").Content, "e.yaml").Single().Root!.AsObject();

    private static IEnumerable<JsonObject> Statements(JsonObject policy) => policy["Statement"]!.AsArray().Select(s => s!.AsObject());

    private static IEnumerable<string> Actions(JsonObject statement) => statement["Action"]!.AsArray().Select(a => (string)a!);

    // Every action that changes a group is conditioned on a tag that every group of the plan carries, in both the
    // eksctl and the Terraform path; otherwise cluster-autoscaler or NTH would be denied on their own groups.
    [Theory]
    [InlineData("iam/cluster-autoscaler-policy.json", "autoscaling:SetDesiredCapacity")]
    [InlineData("iam/cluster-autoscaler-policy.json", "autoscaling:TerminateInstanceInAutoScalingGroup")]
    [InlineData("iam/node-termination-handler-policy.json", "autoscaling:CompleteLifecycleAction")]
    public void MutatingActions_ScopedByATagEveryGroupCarries(string file, string action)
    {
        var plan = Plan("kmax-spot.yaml");
        var statement = Statements(Json(plan, file)).Single(s => Actions(s).Contains(action));
        var condition = statement["Condition"]!["StringEquals"]!.AsObject().Single();
        condition.Key.ShouldStartWith("aws:ResourceTag/");
        var tag = condition.Key["aws:ResourceTag/".Length..];

        foreach (var group in Eksctl(plan)["nodeGroups"]!.AsArray())
        {
            ((string?)group!["tags"]![tag]).ShouldBe((string?)condition.Value, $"eksctl group {group["name"]}");
        }

        foreach (var (name, group) in Json(plan, "terraform.tfvars.json")["self_managed_node_groups"]!.AsObject())
        {
            ((string?)group!["autoscaling_group_tags"]![tag]).ShouldBe((string?)condition.Value, $"terraform group {name}");
        }
    }

    [Fact]
    public void Eksctl_AddOnsUsePodIdentity_NodesKeepOnlyNodePermissionsAndNoPodImds()
    {
        var eksctl = Eksctl(Plan("kmax-spot.yaml"));

        var associations = eksctl["iam"]!["podIdentityAssociations"]!.AsArray().Select(a => (string)a!["serviceAccountName"]!).ToList();
        associations.ShouldBe(["cluster-autoscaler", "aws-node-termination-handler"]);
        var addons = eksctl["addons"]!.AsArray().ToDictionary(a => (string)a!["name"]!);
        addons.ShouldContainKey("eks-pod-identity-agent");
        ((bool)addons["vpc-cni"]!["useDefaultPodIdentityAssociations"]!).ShouldBeTrue();
        ((string)addons["aws-ebs-csi-driver"]!["podIdentityAssociations"]![0]!["serviceAccountName"]!).ShouldBe("ebs-csi-controller-sa");
        addons["aws-ebs-csi-driver"]!["podIdentityAssociations"]![0]!["permissionPolicy"].ShouldNotBeNull("the key is customer-managed");
        foreach (var group in eksctl["nodeGroups"]!.AsArray())
        {
            group!["iam"]!["withAddonPolicies"].ShouldBeNull("no add-on permissions on the node role");
            group["iam"]!["attachPolicyARNs"]!.AsArray().Select(p => (string)p!).ShouldNotContain("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
            ((bool)group["disablePodIMDS"]!).ShouldBeTrue();
        }
    }

    [Fact]
    public void Terraform_NodesGiveNoImdsToPods()
    {
        foreach (var (_, group) in Json(Plan("kmax-spot.yaml"), "terraform.tfvars.json")["self_managed_node_groups"]!.AsObject())
        {
            ((int)group!["metadata_options"]!["http_put_response_hop_limit"]!).ShouldBe(1);
        }
    }

    // Encrypted launches by the Auto Scaling service-linked role fail unless the key policy lets it use the key and
    // grant it to the instance; EBS CSI and Karpenter reach it through EC2.
    [Fact]
    public void KmsKeyPolicy_AutoScalingAndEc2MayUseTheKey()
    {
        var policy = Json(Plan("kmax-spot.yaml"), "iam/kms-key-policy.json");
        var statements = Statements(policy).ToList();

        var slr = "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
        statements.ShouldContain(s => (string?)s["Principal"]!["AWS"] == slr && Actions(s).Contains("kms:GenerateDataKey*"));
        statements.ShouldContain(s => (string?)s["Principal"]!["AWS"] == slr && Actions(s).Contains("kms:CreateGrant") && (string?)s["Condition"]!["Bool"]!["kms:GrantIsForAWSResource"] == "true");
        var viaEc2 = statements.Where(s => s["Condition"] is JsonObject c && c["StringEquals"] is JsonObject e && (string?)e["kms:ViaService"] == "ec2.us-east-1.amazonaws.com").ToList();
        viaEc2.Count.ShouldBe(1);
        ((string?)viaEc2[0]["Condition"]!["StringEquals"]!["kms:CallerAccount"]).ShouldBe("111122223333");
        statements.ShouldContain(s => (string?)s["Principal"]!["AWS"] == "arn:aws:iam::111122223333:root", "without it no IAM policy on the key takes effect");
    }

    [Fact]
    public void Karpenter_NoAutoscalerOrNthRoles()
    {
        var plan = Plan("karpenter.yaml");

        plan.Artefacts.ShouldNotContain(a => a.Path == "iam/cluster-autoscaler-policy.json");
        Eksctl(plan)["iam"]!["podIdentityAssociations"].ShouldBeNull();
    }
}
