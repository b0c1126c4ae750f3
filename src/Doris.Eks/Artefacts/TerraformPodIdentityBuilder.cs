using System.Text;
using Doris.Eks.Blueprints;

namespace Doris.Eks.Artefacts;

/// <summary>
/// For the Terraform path: the add-ons' Pod Identity roles as HCL beside the module's inputs (terraform-aws-eks
/// creates none for cluster-autoscaler or NTH, and nodes give pods no IMDS), each role carrying the policy from
/// the plan's iam/*.json and associated with its ServiceAccount.
/// </summary>
public static class TerraformPodIdentityBuilder
{
    public static string Build(Blueprint b)
    {
        var text = new StringBuilder();
        text.Append("# Pod Identity roles for the add-ons dorisctl planned for EKS cluster ").Append(b.Name).Append(".\n");
        text.Append("# Apply with the terraform-aws-eks module (the eks-pod-identity-agent add-on must be installed).\n\n");
        text.Append("data \"aws_iam_policy_document\" \"pod_identity_trust\" {\n  statement {\n    actions = [\"sts:AssumeRole\", \"sts:TagSession\"]\n\n");
        text.Append("    principals {\n      type        = \"Service\"\n      identifiers = [\"pods.eks.amazonaws.com\"]\n    }\n  }\n}\n");
        Role(text, b, "cluster_autoscaler", IamBuilder.AutoscalerServiceAccount, "iam/cluster-autoscaler-policy.json", null);
        Role(text, b, "node_termination_handler", TerminationHandlerBuilder.ServiceAccount, "iam/node-termination-handler-policy.json", null);
        Role(text, b, "ebs_csi", IamBuilder.EbsCsiServiceAccount, IamBuilder.EbsCsiKmsPolicy(b) is null ? null : "iam/ebs-csi-kms-policy.json", "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
        return text.ToString();
    }

    private static void Role(StringBuilder text, Blueprint b, string id, string serviceAccount, string? policyFile, string? managedPolicy)
    {
        text.Append("\nresource \"aws_iam_role\" \"").Append(id).Append("\" {\n");
        text.Append("  name               = \"").Append(b.Name).Append('-').Append(id.Replace('_', '-')).Append("\"\n");
        text.Append("  assume_role_policy = data.aws_iam_policy_document.pod_identity_trust.json\n}\n");
        if (policyFile is not null)
        {
            text.Append("\nresource \"aws_iam_role_policy\" \"").Append(id).Append("\" {\n  role   = aws_iam_role.").Append(id).Append(".id\n");
            text.Append("  policy = file(\"${path.module}/").Append(policyFile).Append("\")\n}\n");
        }

        if (managedPolicy is not null)
        {
            text.Append("\nresource \"aws_iam_role_policy_attachment\" \"").Append(id).Append("\" {\n  role       = aws_iam_role.").Append(id).Append(".name\n");
            text.Append("  policy_arn = \"").Append(managedPolicy).Append("\"\n}\n");
        }

        text.Append("\nresource \"aws_eks_pod_identity_association\" \"").Append(id).Append("\" {\n");
        text.Append("  cluster_name    = \"").Append(b.Name).Append("\"\n  namespace       = \"").Append(IamBuilder.Namespace).Append("\"\n");
        text.Append("  service_account = \"").Append(serviceAccount).Append("\"\n  role_arn        = aws_iam_role.").Append(id).Append(".arn\n}\n");
    }
}
