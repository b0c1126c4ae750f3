using System.Text.Json.Nodes;
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
                // eksctl opens port 22 to 0.0.0.0/0 on public nodes unless sourceSecurityGroupIds narrows it.
                var open = !LintGroup.IsTrue(g.Node["privateNetworking"]) && g.Node["ssh"]?["sourceSecurityGroupIds"] is not JsonArray { Count: > 0 };
                yield return open
                    ? new("EKS016", LintSeverity.Error, g.Path + ".ssh.allow", "SSH is open to 0.0.0.0/0 on nodes with public addresses, with long-lived keys that bypass IAM and audit", "remove ssh and use SSM Session Manager; at the least set privateNetworking: true or ssh.sourceSecurityGroupIds")
                    : new("EKS016", LintSeverity.Warning, g.Path + ".ssh.allow", "SSH keys on nodes are long-lived credentials that bypass IAM and audit", "remove ssh and use SSM Session Manager (ssh.enableSsm or the AmazonSSMManagedInstanceCore policy)");
            }
        }
    }
}
