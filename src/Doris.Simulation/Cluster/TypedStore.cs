using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Doris.Kubernetes.Emulator.Registry;
using Doris.Kubernetes.Emulator.Storage;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Simulation.Cluster;

/// <summary>
/// Typed access to the emulator's storage for the simulated controllers. They run in-process beside the API
/// server, as kube-controller-manager and kubelets would run beside etcd, so they skip HTTP but keep its rules:
/// resourceVersion conflicts, status as a subresource, finalizers, garbage collection.
/// </summary>
public sealed class TypedStore(ObjectStore store)
{
    public static readonly ResourceType Pods = Builtin("", "pods");
    public static readonly ResourceType Nodes = Builtin("", "nodes");
    public static readonly ResourceType Claims = Builtin("", "persistentvolumeclaims");
    public static readonly ResourceType StatefulSets = Builtin("apps", "statefulsets");
    public static readonly ResourceType Events = Builtin("", "events");
    public static readonly ResourceType Secrets = Builtin("", "secrets");
    public static readonly ResourceType ConfigMaps = Builtin("", "configmaps");
    public static readonly ResourceType Budgets = Builtin("policy", "poddisruptionbudgets");
    public static readonly ResourceType Revisions = Builtin("apps", "controllerrevisions");
    public static readonly ResourceType StorageClasses = Builtin("storage.k8s.io", "storageclasses");

    /// <summary><c>namespace/name</c> of every object of a kind (no bodies kept), for existence checks.</summary>
    public IReadOnlySet<string> Names(ResourceType type) =>
        Unchanged(type, null, "\u0000names", () => store.Project(type, null, Doris.Kubernetes.Emulator.Storage.LabelSelector.Everything,
            (_, _, o) => $"{o["metadata"]?["namespace"]}/{o["metadata"]?["name"]}").ToHashSet(StringComparer.Ordinal));

    public ObjectStore Raw => store;

    // Typed objects by store key and resourceVersion: the controllers list every few hundred milliseconds, and
    // deserialising unchanged objects again was most of a simulated step's cost. Records are immutable, so sharing is safe.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Version, object Value)> _typed = new(StringComparer.Ordinal);

    public IReadOnlyList<T> List<T>(ResourceType type, JsonTypeInfo<T> info, string? ns = null, string? selector = null) =>
        Unchanged(type, ns, selector, () => store.Project(type, ns, Doris.Kubernetes.Emulator.Storage.LabelSelector.Parse(selector), (key, version, obj) =>
        {
            if (_typed.TryGetValue(key, out var cached) && cached.Version == version && cached.Value is T hit)
            {
                return hit;
            }

            var value = obj.Deserialize(info)!;
            _typed[key] = (version, value);
            return value;
        }));

    // The last answer per type, namespace and selector with the type's last write when it was read: a step lists
    // pods five times, and in a settled cluster most kinds do not change between steps. Read the version before
    // listing, so a write racing the list makes the next call list again rather than keep a stale answer.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Type, string? Ns, string? Query), (long Version, object Value)> _lists = new();

    private TResult Unchanged<TResult>(ResourceType type, string? ns, string? query, Func<TResult> read)
        where TResult : class
    {
        var key = ($"{type.Group}/{type.Plural}", ns, query);
        var version = store.LastChange(type);
        if (_lists.TryGetValue(key, out var cached) && cached.Version == version && cached.Value is TResult hit)
        {
            return hit;
        }

        var value = read();
        _lists[key] = (version, value);
        return value;
    }

    public T? Find<T>(ResourceType type, JsonTypeInfo<T> info, string? ns, string name)
        where T : class
    {
        try
        {
            return store.Get(type, ns, name).Deserialize(info);
        }
        catch (ApiError e) when (e.Code == 404)
        {
            return null;
        }
    }

    public T Create<T>(ResourceType type, JsonTypeInfo<T> info, string? ns, T obj) =>
        store.Create(type, ns, Node(obj, info)).Deserialize(info)!;

    /// <summary>Writes the object back; returns false on a conflict (someone else wrote first: look again next step).</summary>
    public bool TryUpdate<T>(ResourceType type, JsonTypeInfo<T> info, T obj, bool status = false)
        where T : IKubernetesObject
    {
        try
        {
            store.Update(type, obj.Metadata!.Namespace, obj.Metadata.Name!, Node(obj, info), status);
            return true;
        }
        catch (ApiError e) when (e.Code is 404 or 409)
        {
            return false;
        }
    }

    public bool TryDelete(ResourceType type, string? ns, string name)
    {
        try
        {
            store.Delete(type, ns, name, null);
            return true;
        }
        catch (ApiError e) when (e.Code == 404)
        {
            return false;
        }
    }

    private static JsonObject Node<T>(T obj, JsonTypeInfo<T> info) => JsonSerializer.SerializeToNode(obj, info)!.AsObject();

    private static ResourceType Builtin(string group, string plural) =>
        new ResourceRegistry().Find(group, group.Length == 0 ? "v1" : "v1", plural) ?? throw new InvalidOperationException($"the emulator does not serve {plural}");

    internal static JsonTypeInfo<Pod> PodInfo => KubernetesJsonContext.Default.Pod;

    internal static JsonTypeInfo<PodDisruptionBudget> BudgetInfo => KubernetesJsonContext.Default.PodDisruptionBudget;

    internal static JsonTypeInfo<Node> NodeInfo => KubernetesJsonContext.Default.Node;

    internal static JsonTypeInfo<StatefulSet> StatefulSetInfo => KubernetesJsonContext.Default.StatefulSet;

    internal static JsonTypeInfo<PersistentVolumeClaim> ClaimInfo => KubernetesJsonContext.Default.PersistentVolumeClaim;
}
