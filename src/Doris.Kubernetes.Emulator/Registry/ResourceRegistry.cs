using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;

namespace Doris.Kubernetes.Emulator.Registry;

/// <summary>
/// The resources the emulator serves: the built-in ones an operator and kubectl use, plus every version of
/// every registered CustomResourceDefinition, which starts being served as soon as the CRD is stored.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly Lock _gate = new();
    private readonly List<ResourceType> _types = [.. BuiltIn];
    private readonly Dictionary<ResourceType, JsonObject> _crdVersions = [];

    public static readonly ResourceType Namespaces = new(string.Empty, "v1", "Namespace", "namespaces", "namespace", false, true, ["ns"]);
    public static readonly ResourceType CustomResourceDefinitions = new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", "customresourcedefinition", false, true, ["crd", "crds"]);

    private static readonly ResourceType[] BuiltIn =
    [
        Namespaces,
        new(string.Empty, "v1", "ConfigMap", "configmaps", "configmap", true, false, ["cm"]),
        new(string.Empty, "v1", "Secret", "secrets", "secret", true, false, []),
        new(string.Empty, "v1", "Service", "services", "service", true, true, ["svc"]),
        new(string.Empty, "v1", "Pod", "pods", "pod", true, true, ["po"]),
        new(string.Empty, "v1", "Node", "nodes", "node", false, true, ["no"]),
        new(string.Empty, "v1", "Event", "events", "event", true, false, ["ev"]),
        new(string.Empty, "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", true, true, ["pvc"]),
        new(string.Empty, "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true, false, ["sa"]),
        new(string.Empty, "v1", "Endpoints", "endpoints", "endpoints", true, false, ["ep"]),
        // Both serve /scale (kubectl scale, HPAs): replicas in spec and status, the pod selector from spec.selector.
        new("apps", "v1", "StatefulSet", "statefulsets", "statefulset", true, true, ["sts"]) { Scale = new ScaleSubresource(".spec.replicas", ".status.replicas", ".spec.selector") },
        new("apps", "v1", "Deployment", "deployments", "deployment", true, true, ["deploy"]) { Scale = new ScaleSubresource(".spec.replicas", ".status.replicas", ".spec.selector") },
        new("apps", "v1", "ControllerRevision", "controllerrevisions", "controllerrevision", true, false, []),
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", true, true, ["pdb"]),
        new("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", true, true, ["hpa"]),
        new("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", true, true, ["hpa"]),
        new("coordination.k8s.io", "v1", "Lease", "leases", "lease", true, false, []),
        new("storage.k8s.io", "v1", "StorageClass", "storageclasses", "storageclass", false, false, ["sc"]),
        new("rbac.authorization.k8s.io", "v1", "Role", "roles", "role", true, false, []),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding", true, false, []),
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole", false, false, []),
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false, false, []),
        CustomResourceDefinitions,

        // Reviews are answered, never stored (kubectl auth can-i / auth whoami).
        new("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", "selfsubjectaccessreview", false, false, []),
        new("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", "selfsubjectreview", false, false, []),
    ];

    public IReadOnlyList<ResourceType> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _types];
            }
        }
    }

    public ResourceType? Find(string group, string version, string plural)
    {
        lock (_gate)
        {
            return _types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
        }
    }

    /// <summary>The CRD version definition (schema, printer columns) behind a custom resource, if it is one.</summary>
    public JsonObject? CustomVersion(ResourceType type)
    {
        lock (_gate)
        {
            return _crdVersions.GetValueOrDefault(type);
        }
    }

    /// <summary>Serves (or stops serving) the versions of a CRD as it is created, updated or deleted.</summary>
    public void Apply(JsonObject crd, bool deleted)
    {
        var spec = crd["spec"] as JsonObject ?? throw ApiError.BadRequest("a CustomResourceDefinition needs a spec");
        var group = ObjectStore.Str(spec["group"]) ?? string.Empty;
        var names = spec["names"] as JsonObject ?? new JsonObject();
        var plural = ObjectStore.Str(names["plural"]) ?? string.Empty;
        lock (_gate)
        {
            foreach (var stale in _types.Where(t => t.Group == group && t.Plural == plural).ToList())
            {
                _types.Remove(stale);
                _crdVersions.Remove(stale);
            }

            if (deleted)
            {
                return;
            }

            foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>().Where(v => v["served"]?.GetValue<bool>() != false))
            {
                var type = new ResourceType(
                    group,
                    ObjectStore.Str(version["name"]) ?? "v1",
                    ObjectStore.Str(names["kind"]) ?? string.Empty,
                    plural,
                    ObjectStore.Str(names["singular"]) ?? plural,
                    ObjectStore.Str(spec["scope"]) != "Cluster",
                    version["subresources"]?["status"] is not null,
                    [.. (names["shortNames"] as JsonArray ?? []).Select(n => ObjectStore.Str(n) ?? string.Empty)])
                {
                    Scale = version["subresources"]?["scale"] is JsonObject scale && ObjectStore.Str(scale["specReplicasPath"]) is { } specPath
                        ? new ScaleSubresource(specPath, ObjectStore.Str(scale["statusReplicasPath"]) ?? ".status.replicas", ObjectStore.Str(scale["labelSelectorPath"]))
                        : null,
                };
                _types.Add(type);
                _crdVersions[type] = (JsonObject)version.DeepClone();
            }
        }
    }
}
