using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>
/// The columns kube-apiserver's printers give the built-in kinds (pkg/printers/internalversion), so
/// <c>kubectl get pods</c> shows READY/STATUS/RESTARTS and <c>kubectl get events</c> TYPE/REASON/OBJECT/MESSAGE.
/// Priority 1 columns appear with <c>-o wide</c>.
/// </summary>
internal static class BuiltInColumns
{
    internal sealed record Column(string Name, string Type, int Priority, Func<JsonObject, TimeProvider, JsonNode?> Value);

    private static Column Name() => new("Name", "string", 0, (o, _) => Str(o["metadata"]?["name"]));

    private static Column Age() => new("Age", "string", 0, (o, t) => TableWriter.AgeOf(Str(o["metadata"]?["creationTimestamp"]), t));

    private static readonly Dictionary<string, Column[]> ByKind = new(StringComparer.Ordinal)
    {
        ["Pod"] =
        [
            Name(),
            new("Ready", "string", 0, (o, _) => $"{Statuses(o).Count(s => s?["ready"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)}/{(o["spec"]?["containers"] as JsonArray)?.Count ?? 0}"),
            new("Status", "string", 0, (o, _) => PodStatus(o)),
            new("Restarts", "integer", 0, (o, _) => Statuses(o).Sum(s => (int?)s?["restartCount"] ?? 0)),
            Age(),
            new("IP", "string", 1, (o, _) => Str(o["status"]?["podIP"]) ?? "<none>"),
            new("Node", "string", 1, (o, _) => Str(o["spec"]?["nodeName"]) ?? "<none>"),
        ],
        ["Node"] =
        [
            Name(),
            new("Status", "string", 0, (o, _) => NodeStatus(o)),
            new("Roles", "string", 0, (o, _) => (o["metadata"]?["labels"] as JsonObject)?.Select(kv => kv.Key).Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal)).Select(k => k["node-role.kubernetes.io/".Length..]).DefaultIfEmpty("<none>").Aggregate((a, b) => a + "," + b)),
            Age(),
            new("Version", "string", 0, (o, _) => Str(o["status"]?["nodeInfo"]?["kubeletVersion"]) ?? string.Empty),
            new("Internal-IP", "string", 1, (o, _) => (o["status"]?["addresses"] as JsonArray)?.FirstOrDefault(a => Str(a?["type"]) == "InternalIP")?["address"]?.ToString() ?? "<none>"),
        ],
        ["Event"] =
        [
            new("Last Seen", "string", 0, (o, t) => TableWriter.AgeOf(Str(o["lastTimestamp"]) ?? Str(o["eventTime"]) ?? Str(o["metadata"]?["creationTimestamp"]), t)),
            new("Type", "string", 0, (o, _) => Str(o["type"]) ?? string.Empty),
            new("Reason", "string", 0, (o, _) => Str(o["reason"]) ?? string.Empty),
            new("Object", "string", 0, (o, _) => $"{Str(o["involvedObject"]?["kind"])?.ToLowerInvariant()}/{Str(o["involvedObject"]?["name"])}"),
            new("Message", "string", 0, (o, _) => Str(o["message"])?.Trim() ?? string.Empty),
            new("Count", "integer", 1, (o, _) => (int?)o["count"] ?? 1),
            new("Name", "string", 1, (o, _) => Str(o["metadata"]?["name"])),
        ],
        ["Service"] =
        [
            Name(),
            new("Type", "string", 0, (o, _) => Str(o["spec"]?["type"]) ?? "ClusterIP"),
            new("Cluster-IP", "string", 0, (o, _) => Str(o["spec"]?["clusterIP"]) ?? "<none>"),
            new("External-IP", "string", 0, (_, _) => "<none>"),
            new("Port(s)", "string", 0, (o, _) => (o["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>().Select(p => $"{p["port"]}{(p["nodePort"] is { } n ? ":" + n : string.Empty)}/{Str(p["protocol"]) ?? "TCP"}").DefaultIfEmpty("<none>").Aggregate((a, b) => a + "," + b)),
            Age(),
        ],
        ["StatefulSet"] = [Name(), new("Ready", "string", 0, (o, _) => $"{(int?)o["status"]?["readyReplicas"] ?? 0}/{(int?)o["spec"]?["replicas"] ?? 1}"), Age()],
        ["Deployment"] =
        [
            Name(),
            new("Ready", "string", 0, (o, _) => $"{(int?)o["status"]?["readyReplicas"] ?? 0}/{(int?)o["spec"]?["replicas"] ?? 1}"),
            new("Up-to-date", "integer", 0, (o, _) => (int?)o["status"]?["updatedReplicas"] ?? 0),
            new("Available", "integer", 0, (o, _) => (int?)o["status"]?["availableReplicas"] ?? 0),
            Age(),
        ],
        ["PersistentVolumeClaim"] =
        [
            Name(),
            new("Status", "string", 0, (o, _) => Str(o["status"]?["phase"]) ?? "Pending"),
            new("Volume", "string", 0, (o, _) => Str(o["spec"]?["volumeName"]) ?? string.Empty),
            new("Capacity", "string", 0, (o, _) => Str(o["status"]?["capacity"]?["storage"]) ?? string.Empty),
            new("Access Modes", "string", 0, (o, _) => string.Join(",", (o["spec"]?["accessModes"] as JsonArray ?? []).Select(m => Str(m) switch { "ReadWriteOnce" => "RWO", "ReadOnlyMany" => "ROX", "ReadWriteMany" => "RWX", "ReadWriteOncePod" => "RWOP", var x => x }))),
            new("StorageClass", "string", 0, (o, _) => Str(o["spec"]?["storageClassName"]) ?? "<unset>"),
            Age(),
        ],
        ["PodDisruptionBudget"] =
        [
            Name(),
            new("Min Available", "string", 0, (o, _) => o["spec"]?["minAvailable"]?.ToString() ?? "N/A"),
            new("Max Unavailable", "string", 0, (o, _) => o["spec"]?["maxUnavailable"]?.ToString() ?? "N/A"),
            new("Allowed Disruptions", "integer", 0, (o, _) => (int?)o["status"]?["disruptionsAllowed"] ?? 0),
            Age(),
        ],
        ["HorizontalPodAutoscaler"] =
        [
            Name(),
            new("Reference", "string", 0, (o, _) => $"{Str(o["spec"]?["scaleTargetRef"]?["kind"])}/{Str(o["spec"]?["scaleTargetRef"]?["name"])}"),
            new("MinPods", "integer", 0, (o, _) => (int?)o["spec"]?["minReplicas"] ?? 1),
            new("MaxPods", "integer", 0, (o, _) => (int?)o["spec"]?["maxReplicas"] ?? 0),
            new("Replicas", "integer", 0, (o, _) => (int?)o["status"]?["currentReplicas"] ?? 0),
            Age(),
        ],
        ["Namespace"] = [Name(), new("Status", "string", 0, (o, _) => Str(o["status"]?["phase"]) ?? "Active"), Age()],
        ["ConfigMap"] = [Name(), new("Data", "integer", 0, (o, _) => ((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0)), Age()],
        ["Secret"] = [Name(), new("Type", "string", 0, (o, _) => Str(o["type"]) ?? "Opaque"), new("Data", "integer", 0, (o, _) => (o["data"] as JsonObject)?.Count ?? 0), Age()],
        ["CustomResourceDefinition"] = [Name(), new("Created At", "date", 0, (o, _) => Str(o["metadata"]?["creationTimestamp"]))],
        ["Lease"] = [Name(), new("Holder", "string", 0, (o, _) => Str(o["spec"]?["holderIdentity"]) ?? string.Empty), Age()],
    };

    /// <summary>The columns for a built-in kind, or null for kinds printed as Name and Age (or by a CRD's columns).</summary>
    public static IReadOnlyList<Column>? For(ResourceType type) => type.Group is "" or "apps" or "policy" or "autoscaling" or "apiextensions.k8s.io" or "coordination.k8s.io" && ByKind.TryGetValue(type.Kind, out var columns) ? columns : null;

    private static IEnumerable<JsonNode?> Statuses(JsonObject pod) => pod["status"]?["containerStatuses"] as JsonArray ?? [];

    private static string PodStatus(JsonObject pod)
    {
        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            return "Terminating";
        }

        var waiting = Statuses(pod).Select(s => Str(s?["state"]?["waiting"]?["reason"]) ?? Str(s?["state"]?["terminated"]?["reason"])).FirstOrDefault(r => r is not null);
        return waiting ?? Str(pod["status"]?["phase"]) ?? "Pending";
    }

    private static string NodeStatus(JsonObject node)
    {
        var ready = (node["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => Str(c?["type"]) == "Ready");
        var status = ready is null ? "Unknown" : Str(ready["status"]) == "True" ? "Ready" : "NotReady";
        return node["spec"]?["unschedulable"]?.GetValueKind() == System.Text.Json.JsonValueKind.True ? status + ",SchedulingDisabled" : status;
    }

    private static string? Str(JsonNode? node) => ObjectStore.Str(node);
}
