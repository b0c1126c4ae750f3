using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Simulation.Cluster;

/// <summary>
/// The StatefulSet controller's history, as kube-controller-manager keeps it: one ControllerRevision per pod
/// template (named like the <c>controller-revision-hash</c> label, owned by the set, carrying the template as a
/// strategic-merge patch that replaces it), numbered in the order the templates were used, a template used again
/// taking the next number, at most <c>revisionHistoryLimit</c> (default 10) unused ones kept. This is what
/// <c>kubectl rollout history</c> lists and <c>kubectl rollout undo</c> applies.
/// </summary>
internal static class ControllerRevisions
{
    private const int DefaultHistoryLimit = 10;

    public static void Record(TypedStore store, StatefulSet sts, string revisionName)
    {
        var meta = sts.Metadata!;
        var selector = string.Join(',', (sts.Spec!.Selector?.MatchLabels ?? new Dictionary<string, string>()).Select(kv => $"{kv.Key}={kv.Value}"));
        var owned = store.Raw.List(TypedStore.Revisions, meta.Namespace, Doris.Kubernetes.Emulator.Storage.LabelSelector.Parse(selector), null, null, null).Items
            .Where(r => r["metadata"]?["ownerReferences"] is JsonArray refs && refs.Any(o => (string?)o?["uid"] == meta.Uid))
            .ToList();
        var latest = owned.Count == 0 ? 0 : owned.Max(Number);
        var existing = owned.FirstOrDefault(r => (string?)r["metadata"]!["name"] == revisionName);
        try
        {
            if (existing is null)
            {
                store.Raw.Create(TypedStore.Revisions, meta.Namespace, New(sts, revisionName, latest + 1));
                owned.Add(store.Raw.Get(TypedStore.Revisions, meta.Namespace, revisionName));
            }
            else if (Number(existing) < latest)
            {
                // Back to an earlier template (a rollback): that revision becomes the newest again.
                existing["revision"] = latest + 1;
                store.Raw.Update(TypedStore.Revisions, meta.Namespace, revisionName, existing, statusSubresource: false);
            }
        }
        catch (ApiError e) when (e.Code is 404 or 409)
        {
            return; // someone else wrote first or the set is going: look again next step
        }

        var keep = new HashSet<string>(StringComparer.Ordinal) { revisionName, sts.Status?.CurrentRevision ?? revisionName };
        var unused = owned.Where(r => !keep.Contains((string)r["metadata"]!["name"]!)).OrderBy(Number).ToList();
        foreach (var old in unused.Take(Math.Max(0, unused.Count - (sts.Spec.RevisionHistoryLimit ?? DefaultHistoryLimit))))
        {
            store.TryDelete(TypedStore.Revisions, meta.Namespace, (string)old["metadata"]!["name"]!);
        }
    }

    private static long Number(JsonObject revision) => revision["revision"]?.GetValue<long>() ?? 0;

    private static JsonObject New(StatefulSet sts, string name, long number)
    {
        var meta = sts.Metadata!;
        var template = JsonSerializer.SerializeToNode(sts.Spec!.Template, KubernetesJsonContext.Default.PodTemplateSpec)!.AsObject();
        template["$patch"] = "replace";
        var labels = new JsonObject();
        foreach (var (key, value) in sts.Spec.Template?.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            labels[key] = value;
        }

        labels[PodFacts.RevisionLabel] = name;
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ControllerRevision",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = meta.Namespace,
                ["labels"] = labels,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "StatefulSet",
                    ["name"] = meta.Name,
                    ["uid"] = meta.Uid,
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["data"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = template } },
            ["revision"] = number,
        };
    }
}
