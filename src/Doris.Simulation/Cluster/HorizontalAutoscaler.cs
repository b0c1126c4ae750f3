using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Http;
using Doris.Kubernetes.Emulator.Registry;
using Doris.Kubernetes.Emulator.Storage;

namespace Doris.Simulation.Cluster;

/// <summary>
/// The HPA controller's write: given the replica count its metrics recommend, clamp it to the HPA's
/// [minReplicas, maxReplicas] and write it through the target's scale subresource (the same mapping the emulator's
/// <c>/scale</c> endpoint uses). A target without a scale subresource fails as it does for a real HPA.
/// </summary>
internal static class HorizontalAutoscaler
{
    public static int Scale(ObjectStore store, ResourceRegistry registry, string ns, string hpaName, int recommended)
    {
        var hpaType = registry.Find("autoscaling", "v2", "horizontalpodautoscalers") ?? throw new InvalidOperationException("autoscaling/v2 is not served");
        var hpa = store.Get(hpaType, ns, hpaName);
        var spec = hpa["spec"]!;
        var target = spec["scaleTargetRef"]!;
        var apiVersion = (string?)target["apiVersion"] ?? string.Empty;
        var (group, version) = apiVersion.Contains('/', StringComparison.Ordinal) ? (apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)], apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..]) : (string.Empty, apiVersion);
        var kind = (string?)target["kind"];
        var type = registry.All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Kind == kind)
                   ?? throw new InvalidOperationException($"HPA {ns}/{hpaName}: no resource {apiVersion} {kind}");
        if (type.Scale is null)
        {
            throw new InvalidOperationException($"HPA {ns}/{hpaName}: {kind} has no scale subresource (FailedGetScale)");
        }

        var min = (int?)spec["minReplicas"] ?? 1;
        var max = (int?)spec["maxReplicas"] ?? min;
        var replicas = Math.Clamp(recommended, min, Math.Max(min, max));
        var name = (string?)target["name"] ?? throw new InvalidOperationException($"HPA {ns}/{hpaName} has no scaleTargetRef.name");
        var current = store.Get(type, ns, name);
        if ((int?)ScaleView.Read(type, current)["spec"]!["replicas"] == replicas)
        {
            return replicas;
        }

        store.Update(type, ns, name, ScaleView.Apply(type, current, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }), statusSubresource: false);
        return replicas;
    }
}
