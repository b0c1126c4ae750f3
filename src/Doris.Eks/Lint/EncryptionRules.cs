using System.Text.RegularExpressions;
using Doris.Eks.Instances;

namespace Doris.Eks.Lint;

/// <summary>Rule 14: node volumes, Doris volumes and Kubernetes secrets are encrypted with a key the user controls.</summary>
internal static class EncryptionRules
{
    public static IEnumerable<LintFinding> Encryption(LintInput input, InstanceCatalog catalog)
    {
        if (input.ClusterConfig is { } config && config["secretsEncryption"]?["keyARN"] is null)
        {
            yield return new("EKS014", LintSeverity.Warning, "secretsEncryption", "Kubernetes secrets are not envelope-encrypted with a customer-managed key", "set secretsEncryption.keyARN to a symmetric KMS key in the cluster's region (cannot be undone)");
        }

        foreach (var g in input.Groups)
        {
            var encrypted = LintGroup.IsTrue(g.Node["volumeEncrypted"]);
            if (!encrypted)
            {
                yield return new("EKS014", LintSeverity.Error, g.Path + ".volumeEncrypted", "node root volumes are not encrypted", "set volumeEncrypted: true with volumeSize (and volumeKmsKeyID for a customer key)");
            }

            if (g.Node["volumeKmsKeyID"] is not null && !encrypted)
            {
                yield return new("EKS014", LintSeverity.Error, g.Path + ".volumeKmsKeyID", "eksctl rejects a volume key without volumeEncrypted: true", "set volumeEncrypted: true");
            }

            if (encrypted && g.Node["volumeSize"] is null)
            {
                yield return new("EKS014", LintSeverity.Error, g.Path + ".volumeSize", "eksctl rejects volumeEncrypted without volumeSize", "set volumeSize (e.g. 100)");
            }
        }

        foreach (var sc in input.StorageClasses.Where(s => LintGroup.Str(s["provisioner"]) == "ebs.csi.aws.com"))
        {
            var path = $"StorageClass/{LintGroup.Str(sc["metadata"]?["name"])}";
            if (LintGroup.Str(sc["parameters"]?["encrypted"]) != "true")
            {
                yield return new("EKS014", LintSeverity.Error, path + ".parameters.encrypted", "Doris volumes would be created unencrypted", "set parameters.encrypted: \"true\"");
            }

            if (LintGroup.Str(sc["parameters"]?["kmsKeyId"]) is { } key && !Regex.IsMatch(key, "^arn:aws[a-z-]*:kms:"))
            {
                yield return new("EKS014", LintSeverity.Error, path + ".parameters.kmsKeyId", $"'{key}' is not a full key ARN, which the EBS CSI driver requires", "use arn:aws:kms:<region>:<account>:key/<id>");
            }

            if (LintGroup.Str(sc["volumeBindingMode"]) != "WaitForFirstConsumer")
            {
                yield return new("EKS014", LintSeverity.Warning, path + ".volumeBindingMode", "volumes are created before the pod is scheduled and may land in a zone with no node for it", "set volumeBindingMode: WaitForFirstConsumer");
            }
        }
    }
}
