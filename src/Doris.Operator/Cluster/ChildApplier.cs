using System.Text.Json;
using Doris.Api.Naming;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Operator.Cluster;

/// <summary>
/// Makes one child object match its desired state with the fewest writes: create when missing, leave alone
/// when its <c>app.doris.components/hash</c> already matches, otherwise merge-patch only the fields we render
/// (fields other controllers or users set stay as they are). Live objects come from the view (the cache).
/// </summary>
public sealed class ChildApplier(KubernetesClient client, IChildView view)
{
    private int _writes;

    public int Writes => _writes;

    // Children created by this operator that the cache may not have seen yet, so the status written right after
    // creating them already counts them (and the reconcile their own events bring finds nothing new to write).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IKubernetesObject> _created = new(StringComparer.Ordinal);

    /// <summary>The cached child, or the one just created when the cache has not caught up yet.</summary>
    public IKubernetesObject? WithCreated(string kind, string ns, string name, IKubernetesObject? cached)
    {
        var key = $"{kind}/{ns}/{name}";
        if (cached is not null)
        {
            _created.TryRemove(key, out _);
            return cached;
        }

        return _created.GetValueOrDefault(key);
    }

    public async Task<bool> ApplyAsync(IKubernetesObject desired, CancellationToken cancellationToken) => desired switch
    {
        StatefulSet s => await ApplyAsync(client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet), s, cancellationToken).ConfigureAwait(false),
        Service s => await ApplyAsync(client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service), s, cancellationToken).ConfigureAwait(false),
        PodDisruptionBudget p => await ApplyAsync(client.For(ResourceDescriptor.PodDisruptionBudgets, KubernetesJsonContext.Default.PodDisruptionBudget), p, cancellationToken).ConfigureAwait(false),
        HorizontalPodAutoscaler h => await ApplyAsync(client.For(ResourceDescriptor.HorizontalPodAutoscalers, KubernetesJsonContext.Default.HorizontalPodAutoscaler), h, cancellationToken).ConfigureAwait(false),
        HorizontalPodAutoscalerV1 h => await ApplyAsync(client.For(DorisClusterResource.HorizontalPodAutoscalersV1, KubernetesJsonContext.Default.HorizontalPodAutoscalerV1), h, cancellationToken).ConfigureAwait(false),
        _ => throw new NotSupportedException($"no applier for {desired.Kind}"),
    };

    /// <summary>Deletes an object this cluster owns (by owner uid); returns whether something was deleted. Claims are never touched here.</summary>
    public async Task<bool> DeleteOwnedAsync<T>(ResourceClient<T> resource, string kind, string ns, string name, string ownerUid, CancellationToken cancellationToken)
        where T : class, IKubernetesObject
    {
        var live = await view.ChildAsync(kind, ns, name, cancellationToken).ConfigureAwait(false);
        if (live?.Metadata?.OwnerReferences?.Any(o => o.Uid == ownerUid) != true)
        {
            return false; // absent, or not ours: never delete what someone else created under the same name
        }

        try
        {
            await resource.DeleteAsync(ns, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            _created.TryRemove($"{kind}/{ns}/{name}", out _);
            Interlocked.Increment(ref _writes);
            return true;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    private async Task<bool> ApplyAsync<T>(ResourceClient<T> resource, T desired, CancellationToken cancellationToken)
        where T : class, IKubernetesObject
    {
        var meta = desired.Metadata!;
        var ns = meta.Namespace ?? "default";
        var hash = meta.Annotations?.GetValueOrDefault(DorisLabels.ComponentsHash) ?? Doris.Desired.ObjectHash.Compute(desired);
        var live = await view.ChildAsync(desired.Kind!, ns, meta.Name!, cancellationToken).ConfigureAwait(false);
        if (live is null)
        {
            try
            {
                var created = await resource.CreateAsync(desired, cancellationToken).ConfigureAwait(false);
                if (created is StatefulSet)
                {
                    // Only StatefulSets are looked up this way (status counts them); the entry goes once the cache has it.
                    _created[$"{desired.Kind}/{ns}/{meta.Name}"] = created;
                }

                Interlocked.Increment(ref _writes);
                return true;
            }
            catch (KubernetesApiException e) when (e.IsAlreadyExists)
            {
                live = await resource.GetAsync(ns, meta.Name!, cancellationToken).ConfigureAwait(false); // the cache had not seen it yet
            }
        }

        if (live.Metadata?.Annotations?.GetValueOrDefault(DorisLabels.ComponentsHash) == hash)
        {
            return false;
        }

        var patch = JsonSerializer.SerializeToNode(desired, desired.GetType(), KubernetesJsonContext.Default)!.AsObject();
        patch.Remove("status");
        if (desired is StatefulSet set && live is StatefulSet liveSet && patch["spec"] is System.Text.Json.Nodes.JsonObject spec)
        {
            // Fields Kubernetes fixes at creation never go into an update: unchanged they change nothing, changed they
            // would make the API server refuse the whole patch (the reconciler reports real drift; a claim size under
            // provisioner: Operator is grown on the claims instead).
            foreach (var field in StatefulSetDrift.FixedFields)
            {
                spec.Remove(field);
            }

            ClaimNames.Apply(patch, ClaimNames.Renames(set, liveSet));
        }

        await resource.PatchAsync(ns, meta.Name!, PatchType.Merge, patch.ToJsonString(), cancellationToken: cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _writes);
        return true;
    }
}
