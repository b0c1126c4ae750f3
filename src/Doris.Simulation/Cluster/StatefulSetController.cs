using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Simulation.Cluster;

/// <summary>
/// The StatefulSet controller's contract as Doris depends on it: stable names <c>sts-N</c>, claims
/// <c>template-sts-N</c> made from volumeClaimTemplates and kept when pods or the set go (retention Retain),
/// OrderedReady (one at a time, lowest first up, highest first down) or Parallel pod management, and
/// RollingUpdate that replaces one pod at a time, highest ordinal first, only while every pod is Ready, never
/// below the partition. Revisions are the hash of the pod template, as <c>controller-revision-hash</c>.
/// </summary>
internal static class StatefulSetController
{
    public static void Step(TypedStore store, StatefulSet sts, ILookup<string, Pod> podsByOwner, DateTimeOffset now)
    {
        var meta = sts.Metadata!;
        if (meta.DeletionTimestamp is not null)
        {
            return;
        }

        var ns = meta.Namespace;
        var spec = sts.Spec!;
        var replicas = spec.Replicas ?? 1;
        var updateRevision = Revision(sts);
        if (sts.Status?.UpdateRevision != updateRevision)
        {
            ControllerRevisions.Record(store, sts, updateRevision);
        }

        var pods = podsByOwner[meta.Uid!].ToDictionary(p => PodFacts.Ordinal(p.Metadata!.Name!));
        var parallel = spec.PodManagementPolicy == "Parallel";

        // Scale down first: surplus ordinals go, highest first (all at once when Parallel).
        var surplus = pods.Keys.Where(o => o >= replicas).OrderDescending().ToList();
        foreach (var ordinal in surplus)
        {
            if (!PodFacts.IsTerminating(pods[ordinal]))
            {
                store.TryDelete(TypedStore.Pods, ns, pods[ordinal].Metadata!.Name!);
            }

            if (!parallel)
            {
                break;
            }
        }

        // Scale up: missing ordinals (Parallel: all of them; OrderedReady: the lowest, once the ones below are Ready).
        for (var ordinal = 0; ordinal < replicas; ordinal++)
        {
            if (pods.ContainsKey(ordinal))
            {
                if (!parallel && !PodFacts.IsReady(pods[ordinal]))
                {
                    break;
                }

                continue;
            }

            try
            {
                Create(store, sts, ordinal, updateRevision, now);
            }
            catch (Doris.Kubernetes.Emulator.Storage.ApiError e) when (e.Code == 409)
            {
                // A pod of that name still exists (terminating, or from a previous set): wait for it to go.
            }

            if (!parallel)
            {
                break;
            }
        }

        // Rolling update, as the real controller does it: from the highest ordinal down to the partition, the first
        // pod not on the update revision is deleted (to come back on it), and an unhealthy pod already on it stops the
        // walk. OrderedReady also waits for every pod to be present and Ready first; Parallel does not, which is what
        // lets a Pending pod of a reverted bad template be replaced.
        var partition = spec.UpdateStrategy?.RollingUpdate?.Partition ?? 0;
        var rolling = (spec.UpdateStrategy?.Type ?? "RollingUpdate") == "RollingUpdate";
        var live = pods.Where(p => p.Key < replicas).ToList();
        if (rolling && surplus.Count == 0 && live.Count == replicas && (parallel || live.All(p => PodFacts.IsReady(p.Value))))
        {
            foreach (var (_, pod) in live.Where(p => p.Key >= partition).OrderByDescending(p => p.Key))
            {
                if (Label(pod, PodFacts.RevisionLabel) != updateRevision && !PodFacts.IsTerminating(pod))
                {
                    store.TryDelete(TypedStore.Pods, ns, pod.Metadata!.Name!);
                    break;
                }

                if (!PodFacts.IsReady(pod))
                {
                    break;
                }
            }
        }

        WriteStatus(store, sts, live.Select(p => p.Value).ToList(), updateRevision);
    }

    /// <summary>The revision name for the current template: set name plus a short hash of the template.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Uid, long Generation), string> Revisions = new();

    public static string Revision(StatefulSet sts) =>
        Revisions.GetOrAdd((sts.Metadata!.Uid ?? sts.Metadata.Name!, sts.Metadata.Generation ?? 0), _ => ComputeRevision(sts));

    private static string ComputeRevision(StatefulSet sts)
    {
        var json = JsonSerializer.Serialize(sts.Spec!.Template, KubernetesJsonContext.Default.PodTemplateSpec);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..10];
        return $"{sts.Metadata!.Name}-{hash}";
    }

    private static void Create(TypedStore store, StatefulSet sts, int ordinal, string revision, DateTimeOffset now)
    {
        var meta = sts.Metadata!;
        var name = $"{meta.Name}-{ordinal.ToString(CultureInfo.InvariantCulture)}";
        var template = sts.Spec!.Template!;
        var volumes = (template.Spec!.Volumes ?? []).ToList();
        foreach (var claim in sts.Spec.VolumeClaimTemplates ?? [])
        {
            var claimName = $"{claim.Metadata!.Name}-{name}";
            if (store.Find(TypedStore.Claims, TypedStore.ClaimInfo, meta.Namespace, claimName) is null)
            {
                store.Create(TypedStore.Claims, TypedStore.ClaimInfo, meta.Namespace, new PersistentVolumeClaim
                {
                    ApiVersion = "v1",
                    Kind = "PersistentVolumeClaim",
                    Metadata = new ObjectMeta { Name = claimName, Namespace = meta.Namespace, Labels = template.Metadata?.Labels, Annotations = claim.Metadata.Annotations },
                    Spec = claim.Spec,
                });
                var created = store.Find(TypedStore.Claims, TypedStore.ClaimInfo, meta.Namespace, claimName)!;
                store.TryUpdate(TypedStore.Claims, TypedStore.ClaimInfo, created with { Status = new PersistentVolumeClaimStatus { Phase = "Bound", Capacity = claim.Spec?.Resources?.Requests } }, status: true);
            }

            volumes.RemoveAll(v => v.Name == claim.Metadata.Name);
            volumes.Add(new Volume { Name = claim.Metadata.Name, PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = claimName } });
        }

        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [PodFacts.RevisionLabel] = revision,
            [PodFacts.PodNameLabel] = name,
            ["apps.kubernetes.io/pod-index"] = ordinal.ToString(CultureInfo.InvariantCulture),
        };
        store.Create(TypedStore.Pods, TypedStore.PodInfo, meta.Namespace, new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = meta.Namespace,
                Labels = labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [new OwnerReference { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = meta.Name, Uid = meta.Uid, Controller = true, BlockOwnerDeletion = true }],
                Finalizers = [PodFacts.KubeletFinalizer],
            },
            Spec = template.Spec with { Hostname = name, Subdomain = sts.Spec.ServiceName, Volumes = volumes },
            Status = new PodStatus { Phase = "Pending" },
        });
    }

    private static void WriteStatus(TypedStore store, StatefulSet sts, IReadOnlyList<Pod> pods, string updateRevision)
    {
        var updated = pods.Count(p => Label(p, PodFacts.RevisionLabel) == updateRevision);
        var ready = pods.Count(PodFacts.IsReady);
        var previous = sts.Status;
        var status = new StatefulSetStatus
        {
            ObservedGeneration = sts.Metadata!.Generation,
            Replicas = pods.Count,
            ReadyReplicas = ready,
            AvailableReplicas = ready,
            CurrentReplicas = updated == pods.Count ? pods.Count : pods.Count - updated,
            UpdatedReplicas = updated,
            UpdateRevision = updateRevision,
            CurrentRevision = updated == pods.Count && pods.Count == (sts.Spec!.Replicas ?? 1) ? updateRevision : previous?.CurrentRevision ?? updateRevision,
            CollisionCount = 0,
        };
        if (previous is null || JsonSerializer.Serialize(previous, KubernetesJsonContext.Default.StatefulSetStatus) != JsonSerializer.Serialize(status, KubernetesJsonContext.Default.StatefulSetStatus))
        {
            store.TryUpdate(TypedStore.StatefulSets, TypedStore.StatefulSetInfo, sts with { Status = status }, status: true);
        }
    }

    private static string? Label(Pod pod, string key) => pod.Metadata?.Labels?.GetValueOrDefault(key);
}
