namespace Doris.Kubernetes.Client;

/// <summary>Where a resource lives in the REST API: group, version, plural, and whether it is namespaced.</summary>
public sealed record ResourceDescriptor(string Group, string Version, string Plural, bool Namespaced)
{
    public static readonly ResourceDescriptor Namespaces = new(string.Empty, "v1", "namespaces", false);
    public static readonly ResourceDescriptor ConfigMaps = new(string.Empty, "v1", "configmaps", true);
    public static readonly ResourceDescriptor Secrets = new(string.Empty, "v1", "secrets", true);
    public static readonly ResourceDescriptor Services = new(string.Empty, "v1", "services", true);
    public static readonly ResourceDescriptor Pods = new(string.Empty, "v1", "pods", true);
    public static readonly ResourceDescriptor Nodes = new(string.Empty, "v1", "nodes", false);
    public static readonly ResourceDescriptor Events = new(string.Empty, "v1", "events", true);
    public static readonly ResourceDescriptor PersistentVolumeClaims = new(string.Empty, "v1", "persistentvolumeclaims", true);
    public static readonly ResourceDescriptor StorageClasses = new("storage.k8s.io", "v1", "storageclasses", false);
    public static readonly ResourceDescriptor StatefulSets = new("apps", "v1", "statefulsets", true);
    public static readonly ResourceDescriptor PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", true);
    public static readonly ResourceDescriptor HorizontalPodAutoscalers = new("autoscaling", "v2", "horizontalpodautoscalers", true);
    public static readonly ResourceDescriptor Leases = new("coordination.k8s.io", "v1", "leases", true);
    public static readonly ResourceDescriptor CustomResourceDefinitions = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", false);

    /// <summary>The collection path, for one namespace (or all namespaces when <paramref name="ns"/> is null).</summary>
    public string Collection(string? ns) =>
        $"{(Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}")}{(Namespaced && ns is not null ? $"/namespaces/{Uri.EscapeDataString(ns)}" : string.Empty)}/{Plural}";

    public string Item(string? ns, string name) => $"{Collection(Namespaced ? ns ?? "default" : null)}/{Uri.EscapeDataString(name)}";
}
