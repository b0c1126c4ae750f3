using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doris.Eks.Lint;

/// <summary>
/// What the linter looks at: the eksctl ClusterConfig and, when given in the same or other files, the
/// cluster-autoscaler Deployment (its flags), the priority-expander ConfigMap, StorageClasses, Karpenter
/// EC2NodeClasses and the aws-node DaemonSet (CNI settings).
/// </summary>
public sealed record LintInput(
    JsonObject? ClusterConfig,
    IReadOnlyList<string>? AutoscalerFlags,
    JsonObject? PriorityExpander,
    IReadOnlyList<JsonObject> StorageClasses,
    IReadOnlyList<JsonObject> NodeClasses,
    IReadOnlyDictionary<string, string> CniEnv)
{
    /// <summary>A terraform-aws-eks inputs file (terraform.tfvars.json), recognised by its node-group or cluster inputs.</summary>
    public JsonObject? TerraformVars { get; init; }

    public string ClusterName => LintGroup.Str(ClusterConfig?["metadata"]?["name"]) ?? string.Empty;

    internal IReadOnlyList<LintGroup> Groups =>
    [
        .. (ClusterConfig?["nodeGroups"] as JsonArray ?? []).OfType<JsonObject>().Select((g, i) => new LintGroup(g, $"nodeGroups[{i}]", false)),
        .. (ClusterConfig?["managedNodeGroups"] as JsonArray ?? []).OfType<JsonObject>().Select((g, i) => new LintGroup(g, $"managedNodeGroups[{i}]", true)),
    ];

    public static LintInput From(IEnumerable<JsonNode?> documents)
    {
        JsonObject? config = null;
        IReadOnlyList<string>? flags = null;
        JsonObject? expander = null;
        var storageClasses = new List<JsonObject>();
        var nodeClasses = new List<JsonObject>();
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonObject? terraform = null;
        foreach (var doc in documents.OfType<JsonObject>())
        {
            if (doc["kind"] is null && (doc.ContainsKey("self_managed_node_groups") || doc.ContainsKey("cluster_name") || doc.ContainsKey("kubernetes_version")))
            {
                terraform = doc;
                continue;
            }

            var kind = LintGroup.Str(doc["kind"]);
            var name = LintGroup.Str((doc["metadata"] as JsonObject)?["name"]);
            switch (kind)
            {
                case "ClusterConfig":
                    config = doc;
                    ReadAddonEnv(doc, env);
                    break;
                case "Deployment" when name == "cluster-autoscaler":
                    flags = [.. Containers(doc).SelectMany(c => (c["command"] as JsonArray ?? []).Concat(c["args"] as JsonArray ?? [])).Select(LintGroup.Str).OfType<string>().Where(a => a.StartsWith("--", StringComparison.Ordinal))];
                    break;
                case "DaemonSet" when name == "aws-node":
                    foreach (var e in Containers(doc).SelectMany(c => c["env"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        env[LintGroup.Str(e["name"]) ?? string.Empty] = LintGroup.Str(e["value"]) ?? string.Empty;
                    }

                    break;
                case "ConfigMap" when name == "cluster-autoscaler-priority-expander":
                    expander = doc;
                    break;
                case "StorageClass":
                    storageClasses.Add(doc);
                    break;
                case "EC2NodeClass":
                    nodeClasses.Add(doc);
                    break;
            }
        }

        return new LintInput(config, flags, expander, storageClasses, nodeClasses, env) { TerraformVars = terraform };
    }

    private static IEnumerable<JsonObject> Containers(JsonObject workload) =>
        (workload["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>();

    private static void ReadAddonEnv(JsonObject config, Dictionary<string, string> env)
    {
        foreach (var addon in (config["addons"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (LintGroup.Str(addon["name"]) != "vpc-cni" || LintGroup.Str(addon["configurationValues"]) is not { } values)
            {
                continue;
            }

            try
            {
                if (JsonNode.Parse(values)?["env"] is JsonObject e)
                {
                    foreach (var (k, v) in e)
                    {
                        env[k] = LintGroup.Str(v) ?? string.Empty;
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON (eksctl also accepts YAML here); the CNI rules then see no settings.
            }
        }
    }
}
