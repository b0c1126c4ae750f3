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
public sealed class ChildApplier(KubernetesClient client, IChildView view, TimeProvider? time = null)
{
    /// <summary>
    /// How long an object this operator created stands in for the cache's copy. Each kind has a watch of its own, so a
    /// reconcile that a new StatefulSet's event brings can run before the Service or PDB created beside it reaches
    /// the cache; without this it would create them again and meet 409 AlreadyExists and a GET. The cache normally
    /// catches up within milliseconds; the bound (as the expectations of Kubernetes' own controllers have) covers the
    /// case where it never sees the object (created, deleted by someone else and the watch re-listed in between):
    /// after it the cache is believed again and the next reconcile creates the object anew.
    /// </summary>
    public static readonly TimeSpan CreatedTrust = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private int _writes;

    public int Writes => _writes;

    // Children created by this operator that the cache may not have seen yet: the status written right after creating
    // them already counts them, and a reconcile that comes before the cache catches up neither creates them again nor
    // reads them back. An entry goes once the cache has the object, once it is deleted, or after CreatedTrust.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (IKubernetesObject Object, DateTimeOffset At)> _created = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether any of these objects was last known only as this operator's own create, the cache not having it yet
    /// (asked after applying them). A reconcile that would otherwise wait for nothing looks again just after
    /// CreatedTrust, so an object deleted before the cache ever saw it is not left missing until the resync.
    /// </summary>
    public bool AwaitingCache(IEnumerable<IKubernetesObject> objects) =>
        objects.Any(o => o.Metadata is { Name: { } name } meta && _created.ContainsKey($"{o.Kind}/{meta.Namespace ?? "default"}/{name}"));

    /// <summary>When to look again for objects that are <see cref="AwaitingCache"/>: just after the stand-in expires.</summary>
    public static TimeSpan AwaitingCacheRecheck => CreatedTrust + TimeSpan.FromSeconds(1);

    // What a stand-in keeps: a StatefulSet whole (status counts it, a patch compares its claims), any other kind only
    // the identity and the hash a look compares. Keeping every created Service and PDB whole until the cache had it
    // raised the 1,000-cluster benchmark's peak RSS from 122-128 to 146-148 MiB (goal 150).
    private static IKubernetesObject StandIn(IKubernetesObject created)
    {
        if (created is StatefulSet || created.Metadata is not { } meta)
        {
            return created;
        }

        var slim = new ObjectMeta
        {
            Name = meta.Name,
            Namespace = meta.Namespace,
            Uid = meta.Uid,
            ResourceVersion = meta.ResourceVersion,
            Annotations = meta.Annotations?.GetValueOrDefault(DorisLabels.ComponentsHash) is { } hash ? new Dictionary<string, string> { [DorisLabels.ComponentsHash] = hash } : null,
        };
        return created switch
        {
            Service s => new Service { ApiVersion = s.ApiVersion, Kind = s.Kind, Metadata = slim },
            PodDisruptionBudget p => new PodDisruptionBudget { ApiVersion = p.ApiVersion, Kind = p.Kind, Metadata = slim },
            HorizontalPodAutoscaler h => new HorizontalPodAutoscaler { ApiVersion = h.ApiVersion, Kind = h.Kind, Metadata = slim },
            HorizontalPodAutoscalerV1 h => new HorizontalPodAutoscalerV1 { ApiVersion = h.ApiVersion, Kind = h.Kind, Metadata = slim },
            _ => created,
        };
    }

    /// <summary>The cached child, or the one just created when the cache has not caught up yet.</summary>
    public IKubernetesObject? WithCreated(string kind, string ns, string name, IKubernetesObject? cached) => Known($"{kind}/{ns}/{name}", cached);

    private IKubernetesObject? Known(string key, IKubernetesObject? cached)
    {
        if (cached is not null)
        {
            _created.TryRemove(key, out _);
            return cached;
        }

        if (!_created.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (_time.GetUtcNow() - entry.At <= CreatedTrust)
        {
            return entry.Object;
        }

        _created.TryRemove(key, out _);
        return null;
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
        var key = $"{desired.Kind}/{ns}/{meta.Name}";
        var live = Known(key, await view.ChildAsync(desired.Kind!, ns, meta.Name!, cancellationToken).ConfigureAwait(false));
        if (live is null)
        {
            try
            {
                var created = await resource.CreateAsync(desired, cancellationToken).ConfigureAwait(false);
                _created[key] = (StandIn(created), _time.GetUtcNow());
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

        var patched = await resource.PatchAsync(ns, meta.Name!, PatchType.Merge, patch.ToJsonString(), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (_created.TryGetValue(key, out var entry))
        {
            _created[key] = (StandIn(patched), entry.At); // still ahead of the cache: the next look sees the patched object
        }

        Interlocked.Increment(ref _writes);
        return true;
    }
}
