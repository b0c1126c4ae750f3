using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;

namespace Doris.Eks.Artefacts;

/// <summary>
/// aws-node (VPC CNI) warm-pool settings. Doris nodes are large and long-lived with few pods, so the default
/// of one spare ENI is cheap and avoids the EC2 API throttling that per-IP targets cause at scale.
/// </summary>
public static class CniBuilder
{
    public static IReadOnlyDictionary<string, string> Env(Blueprint b) => b.PrefixDelegation == true
        ? new SortedDictionary<string, string>(StringComparer.Ordinal) { ["ENABLE_PREFIX_DELEGATION"] = "true", ["WARM_PREFIX_TARGET"] = "1" }
        : new SortedDictionary<string, string>(StringComparer.Ordinal) { ["ENABLE_PREFIX_DELEGATION"] = "false", ["WARM_ENI_TARGET"] = "1" };

    /// <summary>The vpc-cni addon's <c>configurationValues</c>: a JSON document in a string.</summary>
    public static string AddonConfiguration(Blueprint b) => new JsonObject { ["env"] = Yaml.Map(Env(b)) }.ToJsonString();

    public static JsonObject Artefact(Blueprint b) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "DaemonSet",
        ["metadata"] = new JsonObject { ["name"] = "aws-node", ["namespace"] = "kube-system" },
        ["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "aws-node",
                        ["env"] = new JsonArray([.. Env(b).Select(e => (JsonNode?)new JsonObject { ["name"] = e.Key, ["value"] = e.Value })]),
                    }),
                },
            },
        },
    };
}
