using Doris.Eks.Instances;

namespace Doris.Eks.Lint;

/// <summary>Rule 16 (beyond the notes' 15): nodes have no public addresses and are reached through SSM, not SSH keys.</summary>
internal static class AccessRules
{
    public static IEnumerable<LintFinding> PrivateNodes(LintInput input, InstanceCatalog catalog)
    {
        foreach (var g in input.Groups)
        {
            if (!LintGroup.IsTrue(g.Node["privateNetworking"]))
            {
                yield return new("EKS016", LintSeverity.Warning, g.Path + ".privateNetworking", "nodes get public IP addresses in public subnets", "set privateNetworking: true and reach nodes through SSM");
            }

            if (LintGroup.IsTrue(g.Node["ssh"]?["allow"]))
            {
                yield return new("EKS016", LintSeverity.Warning, g.Path + ".ssh.allow", "SSH keys on nodes are long-lived credentials that bypass IAM and audit", "remove ssh and use SSM Session Manager (ssh.enableSsm or the AmazonSSMManagedInstanceCore policy)");
            }
        }
    }
}
