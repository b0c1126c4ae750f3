using Doris.Kubernetes.Models;

namespace Doris.Simulation.Cluster;

/// <summary>Small readings of pods and nodes that the simulated controllers share.</summary>
internal static class PodFacts
{
    public const string KubeletFinalizer = "simulation.dorisctl.io/kubelet";
    public const string RevisionLabel = "controller-revision-hash";
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";

    public static bool IsReady(Pod pod) =>
        pod.Metadata?.DeletionTimestamp is null && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static bool IsTerminating(Pod pod) => pod.Metadata?.DeletionTimestamp is not null;

    public static bool IsTerminal(Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    public static int Ordinal(string podName)
    {
        var dash = podName.LastIndexOf('-');
        return dash >= 0 && int.TryParse(podName.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1;
    }

    /// <summary>CPU (cores) and memory (bytes) the pod asks for: the sum over its containers, as the scheduler counts.</summary>
    public static (decimal Cpu, decimal Memory) Requests(Pod pod)
    {
        decimal cpu = 0, memory = 0;
        foreach (var c in pod.Spec?.Containers ?? [])
        {
            if (c.Resources?.Requests is { } r)
            {
                cpu += r.TryGetValue("cpu", out var q) && Quantity.TryParse(q.Value, out var v) ? v : 0;
                memory += r.TryGetValue("memory", out var m) && Quantity.TryParse(m.Value, out var w) ? w : 0;
            }
        }

        return (cpu, memory);
    }

    public static decimal Allocatable(Node node, string resource) =>
        node.Status?.Allocatable?.TryGetValue(resource, out var q) == true && Quantity.TryParse(q.Value, out var v) ? v : 0;

    public static bool IsNodeReady(Node node) =>
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
