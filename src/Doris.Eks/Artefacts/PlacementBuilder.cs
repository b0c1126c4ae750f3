using System.Text.Json.Nodes;
using Doris.Eks.Planning;

namespace Doris.Eks.Artefacts;

/// <summary>
/// A DorisCluster spec fragment that puts FE/BE on the on-demand pools and CN on the Spot pools, spreads FE
/// and BE over zones; merge it into a cluster manifest (only DorisCluster fields, so the merge stays valid).
/// </summary>
public static class PlacementBuilder
{
    public static JsonObject Build(IReadOnlyList<NodeGroupPlan> groups)
    {
        var spec = new JsonObject();
        foreach (var role in new[] { "fe", "be", "cn", "broker" })
        {
            var g = groups.FirstOrDefault(x => x.Role == role) ?? (role == "broker" ? null : groups.FirstOrDefault(x => x.Role == "general" && x.Spot == (role == "cn")));
            if (g is null)
            {
                continue;
            }

            var component = new JsonObject
            {
                ["nodeSelector"] = new JsonObject
                {
                    [PlanDefaults.TeamLabel] = g.Pool.Team,
                    [PlanDefaults.TypeLabel] = g.Spot ? "spot" : "ondemand",
                    [PlanDefaults.SpecLabel] = g.Pool.Spec,
                },
            };
            if (g.Taints.Count > 0)
            {
                component["tolerations"] = new JsonArray([.. g.Taints.Select(t => (JsonNode?)new JsonObject { ["key"] = t.Key, ["operator"] = "Equal", ["value"] = t.Value ?? string.Empty, ["effect"] = t.Effect })]);
            }

            if (role is "fe" or "be")
            {
                component["affinity"] = new JsonObject
                {
                    ["podAntiAffinity"] = new JsonObject
                    {
                        ["preferredDuringSchedulingIgnoredDuringExecution"] = new JsonArray(new JsonObject
                        {
                            ["weight"] = 50,
                            ["podAffinityTerm"] = new JsonObject
                            {
                                ["topologyKey"] = "topology.kubernetes.io/zone",
                                ["labelSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app.kubernetes.io/component"] = role } },
                            },
                        }),
                    },
                };
                component["annotations"] = new JsonObject { ["cluster-autoscaler.kubernetes.io/safe-to-evict"] = "false", ["karpenter.sh/do-not-disrupt"] = "true" };
            }

            spec[role + "Spec"] = component;
        }

        // Only DorisCluster fields: the StorageClass name belongs in each persistentVolumeClaimSpec the user writes
        // (the plan's notes say so), and a root key here would make the merged cluster invalid.
        return new JsonObject { ["spec"] = spec };
    }
}
