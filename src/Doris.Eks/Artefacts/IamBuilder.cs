using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;

namespace Doris.Eks.Artefacts;

/// <summary>
/// The AWS permissions the cluster's add-ons need, least privilege and scoped to this cluster by its tags, for
/// their own ServiceAccounts through EKS Pod Identity (never the node role: every pod on a node could use that),
/// and the policy of the customer-managed KMS key, so Auto Scaling, EBS and Karpenter can use it.
/// </summary>
public static class IamBuilder
{
    public const string Namespace = "kube-system";

    /// <summary>The ServiceAccount cluster-autoscaler runs as (its Helm chart's default name).</summary>
    public const string AutoscalerServiceAccount = "cluster-autoscaler";

    /// <summary>The EBS CSI controller's ServiceAccount (the add-on's own).</summary>
    public const string EbsCsiServiceAccount = "ebs-csi-controller-sa";

    /// <summary>The account the cluster lives in, from the key ARN when there is one.</summary>
    public static string? Account(Blueprint b) => b.KmsKeyArn?.Split(':') is { Length: > 4 } parts ? parts[4] : null;

    /// <summary>The NTH queue's name (the queue template creates it).</summary>
    public static string QueueName(Blueprint b) => $"{b.Name}-node-termination";

    /// <summary>
    /// cluster-autoscaler: read anything it needs to describe, change only groups tagged as this cluster's
    /// (<c>k8s.io/cluster-autoscaler/&lt;cluster&gt;: owned</c>, which the plan puts on every group).
    /// </summary>
    public static JsonObject ClusterAutoscalerPolicy(Blueprint b) => Policy(
        Statement("Describe", ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeLaunchConfigurations",
            "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplateVersions",
            "ec2:GetInstanceTypesFromInstanceRequirements", "eks:DescribeNodegroup"], "*"),
        Statement("ResizeOnlyThisClustersGroups", ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"], "*",
            new JsonObject { ["StringEquals"] = new JsonObject { [$"aws:ResourceTag/{ClusterAutoscalerBuilder.Prefix}{b.Name}"] = "owned" } }));

    /// <summary>NTH in queue mode: read and delete its queue's messages, complete lifecycle actions on this cluster's groups.</summary>
    public static JsonObject TerminationHandlerPolicy(Blueprint b) => Policy(
        Statement("ReadItsQueue", ["sqs:ReceiveMessage", "sqs:DeleteMessage"], $"arn:aws:sqs:{b.Region}:{Account(b) ?? "*"}:{QueueName(b)}"),
        Statement("Describe", ["autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeTags", "ec2:DescribeInstances"], "*"),
        Statement("CompleteLifecycleOnThisClustersGroups", ["autoscaling:CompleteLifecycleAction"], "*",
            new JsonObject { ["StringEquals"] = new JsonObject { [$"aws:ResourceTag/{ClusterAutoscalerBuilder.Prefix}{b.Name}"] = "owned" } }));

    /// <summary>What the EBS CSI controller needs on top of AmazonEBSCSIDriverPolicy to create volumes with the customer key.</summary>
    public static JsonObject? EbsCsiKmsPolicy(Blueprint b) => b.KmsKeyArn is not { } key ? null : Policy(
        Statement("UseTheKeyThroughEc2", ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], key),
        Statement("GrantEc2TheKey", ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], key,
            new JsonObject { ["Bool"] = new JsonObject { ["kms:GrantIsForAWSResource"] = "true" } }));

    /// <summary>
    /// The key policy: the account administers it (so IAM policies such as the EBS CSI one take effect), the Auto
    /// Scaling service-linked role may use it and grant it to the instances it launches (without this, encrypted
    /// launches fail), and EC2 may use it on behalf of any principal of the account (EBS CSI, Karpenter).
    /// </summary>
    public static JsonObject? KmsKeyPolicy(Blueprint b)
    {
        if (Account(b) is not { } account)
        {
            return null;
        }

        JsonObject AutoScaling() => new() { ["AWS"] = $"arn:aws:iam::{account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" };
        return Policy(
            Principal(Statement("AccountAdministersTheKey", ["kms:*"], "*"), new JsonObject { ["AWS"] = $"arn:aws:iam::{account}:root" }),
            Principal(Statement("AutoScalingUsesTheKey", ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], "*"), AutoScaling()),
            Principal(Statement("AutoScalingGrantsTheKeyToInstances", ["kms:CreateGrant"], "*", new JsonObject { ["Bool"] = new JsonObject { ["kms:GrantIsForAWSResource"] = "true" } }), AutoScaling()),
            Principal(Statement("Ec2ForThisAccount", ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"], "*",
                new JsonObject { ["StringEquals"] = new JsonObject { ["kms:ViaService"] = $"ec2.{b.Region}.amazonaws.com", ["kms:CallerAccount"] = account } }), new JsonObject { ["AWS"] = "*" }));
    }

    /// <summary>eksctl <c>iam.podIdentityAssociations</c>: cluster-autoscaler and NTH, each with its own policy.</summary>
    // The params constructor, not a collection expression: that would call JsonArray.Add<T>, which native builds refuse.
    public static JsonArray EksctlAssociations(Blueprint b) => new(
        new JsonObject { ["namespace"] = Namespace, ["serviceAccountName"] = AutoscalerServiceAccount, ["createServiceAccount"] = true, ["permissionPolicy"] = ClusterAutoscalerPolicy(b) },
        new JsonObject { ["namespace"] = Namespace, ["serviceAccountName"] = TerminationHandlerBuilder.ServiceAccount, ["createServiceAccount"] = true, ["permissionPolicy"] = TerminationHandlerPolicy(b) }
    );

    private static JsonObject Policy(params JsonObject[] statements) => new() { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray([.. statements]) };

    private static JsonObject Statement(string sid, string[] actions, string resource, JsonObject? condition = null)
    {
        var statement = new JsonObject { ["Sid"] = sid, ["Effect"] = "Allow", ["Action"] = Yaml.Strings(actions), ["Resource"] = resource };
        if (condition is not null)
        {
            statement["Condition"] = condition;
        }

        return statement;
    }

    private static JsonObject Principal(JsonObject statement, JsonObject principal)
    {
        statement["Principal"] = principal;
        return statement;
    }
}
