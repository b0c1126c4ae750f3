using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;

namespace Doris.Sandbox;

/// <summary>The end of a sandbox run as one JSON document (<c>dorisctl sandbox -o json</c>), for scripts and CI.</summary>
public static class SandboxJson
{
    public static string Document(DorisCluster cluster, TypedStore store, bool ready, string? whyNotReady, FleetWhatIf? fleet)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(store);
        var ns = cluster.Metadata!.Namespace;
        var pods = store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod, ns, $"{DorisLabels.Cluster}={cluster.Metadata.Name}");
        var nodes = store.List(TypedStore.Nodes, KubernetesJsonContext.Default.Node).ToDictionary(n => n.Metadata!.Name!, StringComparer.Ordinal);
        var document = new JsonObject
        {
            ["cluster"] = $"{ns}/{cluster.Metadata.Name}",
            ["ready"] = ready,
            ["whyNotReady"] = whyNotReady is null ? null : new JsonArray([.. whyNotReady.Split('\n').Select(l => (JsonNode)l)]),
            ["pods"] = new JsonArray([.. pods.OrderBy(p => p.Metadata!.Name, StringComparer.Ordinal).Select(p =>
            {
                var labels = p.Spec?.NodeName is { } n && nodes.TryGetValue(n, out var node) ? node.Metadata?.Labels : null;
                return (JsonNode)new JsonObject
                {
                    ["name"] = p.Metadata!.Name,
                    ["component"] = p.Metadata.Labels?.GetValueOrDefault(DorisLabels.Component),
                    ["ready"] = p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
                    ["node"] = p.Spec?.NodeName,
                    ["zone"] = labels?.GetValueOrDefault("topology.kubernetes.io/zone"),
                    ["capacityType"] = labels?.GetValueOrDefault(NodeLabels.EksCapacityType),
                    ["nodeGroup"] = labels?.GetValueOrDefault(NodeShape.GroupLabel),
                };
            })]),
            ["fleet"] = fleet is null ? null : FleetReport.Json(fleet),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
