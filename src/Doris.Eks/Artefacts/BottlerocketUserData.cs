using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;
using Doris.Eks.Planning;

namespace Doris.Eks.Artefacts;

/// <summary>
/// Bottlerocket user data (TOML settings). Bottlerocket has no swap to turn off; THP is a kernel parameter,
/// applied by one reboot at first boot (<c>reboot-to-reconcile</c>).
/// </summary>
public static class BottlerocketUserData
{
    /// <summary>Complete user data for a launch template written by hand (fill in the placeholders).</summary>
    public static string Build(Blueprint b, NodeGroupPlan g)
    {
        var text = new StringBuilder();
        text.Append("[settings.kubernetes]\n");
        text.Append("cluster-name = ").Append(Quote(b.Name!)).Append('\n');
        text.Append("api-server = \"${API_SERVER_ENDPOINT}\"\ncluster-certificate = \"${CLUSTER_CA}\"\n");
        return text.Append(ExtraArgs(g)).ToString();
    }

    /// <summary>
    /// What follows the cluster connection: terraform-aws-eks's template ends with an open
    /// <c>[settings.kubernetes]</c> table and appends <c>bootstrap_extra_args</c>, so this starts with keys of that
    /// table and never declares it again (TOML refuses a table defined twice and the node would not boot).
    /// </summary>
    public static string ExtraArgs(NodeGroupPlan g)
    {
        var text = new StringBuilder();
        text.Append("max-pods = ").Append(g.MaxPods.ToString(CultureInfo.InvariantCulture)).Append("\n\n[settings.kubernetes.node-labels]\n");
        foreach (var (k, v) in g.Labels)
        {
            text.Append(Quote(k)).Append(" = ").Append(Quote(v)).Append('\n');
        }

        if (g.Taints.Count > 0)
        {
            text.Append("\n[settings.kubernetes.node-taints]\n");
            foreach (var byKey in g.Taints.GroupBy(t => t.Key!))
            {
                text.Append(Quote(byKey.Key)).Append(" = [").Append(string.Join(", ", byKey.Select(t => Quote($"{t.Value}:{t.Effect}")))).Append("]\n");
            }
        }

        if (g.NeedsHostTuning)
        {
            text.Append("\n[settings.kernel.sysctl]\n\"vm.max_map_count\" = \"").Append(HostTuning.MaxMapCount).Append("\"\n");
            text.Append("\n[settings.boot]\nreboot-to-reconcile = true\n\n[settings.boot.kernel-parameters]\n\"transparent_hugepage\" = [\"never\"]\n");
            text.Append("\n[settings.oci-defaults.resource-limits.max-open-files]\nsoft-limit = ").Append(HostTuning.OpenFiles)
                .Append("\nhard-limit = ").Append(HostTuning.OpenFiles).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The same tuning as eksctl <c>bottlerocket.settings</c> (eksctl sets labels, taints and max-pods itself).</summary>
    public static JsonObject TuningSettings() => new()
    {
        ["kernel"] = new JsonObject { ["sysctl"] = new JsonObject { ["vm.max_map_count"] = HostTuning.MaxMapCount.ToString(CultureInfo.InvariantCulture) } },
        ["boot"] = new JsonObject
        {
            ["reboot-to-reconcile"] = true,
            ["kernel-parameters"] = new JsonObject { ["transparent_hugepage"] = Yaml.Strings(["never"]) },
        },
        ["oci-defaults"] = new JsonObject
        {
            ["resource-limits"] = new JsonObject { ["max-open-files"] = new JsonObject { ["soft-limit"] = HostTuning.OpenFiles, ["hard-limit"] = HostTuning.OpenFiles } },
        },
    };

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
