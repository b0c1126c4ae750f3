using System.Globalization;
using System.Text;
using Doris.Eks.Blueprints;
using Doris.Eks.Planning;

namespace Doris.Eks.Artefacts;

/// <summary>
/// Launch-template user data for AL2023: a MIME multi-part document with a shell part (host tuning) and a
/// nodeadm NodeConfig (cluster, explicit maxPods, labels, taints, open-files limit). The cluster endpoint, CA
/// and service CIDR are only known after the cluster exists, so they are left as ${...} placeholders.
/// </summary>
public static class Al2023UserData
{
    private const string Boundary = "DORISCTL";

    public static string Build(Blueprint b, NodeGroupPlan g)
    {
        var text = new StringBuilder();
        text.Append("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"").Append(Boundary).Append("\"\n\n");
        if (ShellPart(g) is { } shell)
        {
            text.Append("--").Append(Boundary).Append("\nContent-Type: text/x-shellscript; charset=\"us-ascii\"\n\n").Append(shell).Append('\n');
        }

        text.Append("--").Append(Boundary).Append("\nContent-Type: application/node.eks.aws\n\n").Append(NodeConfigPart(b, g));
        text.Append('\n').Append("--").Append(Boundary).Append("--\n");
        return text.ToString();
    }

    /// <summary>
    /// An EC2NodeClass's user data on AL2023: Karpenter writes the cluster, labels, taints and maxPods in its own
    /// NodeConfig and merges the parts given here, so these carry only the host tuning and the open-files limit.
    /// </summary>
    public static string KarpenterUserData(NodeGroupPlan g)
    {
        var text = new StringBuilder();
        text.Append("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"").Append(Boundary).Append("\"\n\n");
        if (ShellPart(g) is { } shell)
        {
            text.Append("--").Append(Boundary).Append("\nContent-Type: text/x-shellscript; charset=\"us-ascii\"\n\n").Append(shell).Append('\n');
        }

        text.Append("--").Append(Boundary).Append("\nContent-Type: application/node.eks.aws\n\n").Append(HostTuning.Al2023OpenFilesNodeConfig);
        text.Append('\n').Append("--").Append(Boundary).Append("--\n");
        return text.ToString();
    }

    /// <summary>The host-tuning script, for nodes that run BEs or CNs.</summary>
    public static string? ShellPart(NodeGroupPlan g) =>
        g.NeedsHostTuning ? "#!/bin/bash\nset -euo pipefail\n" + string.Join("\n", HostTuning.Al2023Commands) + "\n" : null;

    /// <param name="withCluster">
    /// The cluster connection (with placeholders to fill in) for a launch template written by hand; left out where
    /// another part supplies it (the Terraform module's own NodeConfig), since nodeadm merges every part.
    /// </param>
    public static string NodeConfigPart(Blueprint b, NodeGroupPlan g, bool withCluster = true)
    {
        var text = new StringBuilder();
        text.Append("apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n");
        if (withCluster)
        {
            text.Append("  cluster:\n    name: ").Append(b.Name).Append('\n');
            text.Append("    apiServerEndpoint: ${API_SERVER_ENDPOINT}\n    certificateAuthority: ${CLUSTER_CA}\n    cidr: ${SERVICE_CIDR}\n");
        }

        text.Append("  kubelet:\n    config:\n      maxPods: ").Append(g.MaxPods.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("    flags:\n      - --node-labels=").Append(string.Join(",", g.Labels.Select(l => $"{l.Key}={l.Value}"))).Append('\n');
        if (g.Taints.Count > 0)
        {
            text.Append("      - --register-with-taints=").Append(string.Join(",", g.Taints.Select(t => $"{t.Key}={t.Value}:{t.Effect}"))).Append('\n');
        }

        if (g.NeedsHostTuning)
        {
            text.Append(HostTuning.Al2023OpenFilesNodeConfig[HostTuning.Al2023OpenFilesNodeConfig.IndexOf("  containerd:", StringComparison.Ordinal)..]);
        }

        return text.ToString();
    }
}
