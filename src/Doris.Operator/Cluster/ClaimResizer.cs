using System.Collections.Concurrent;
using Doris.Api;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Operator.Cluster;

/// <summary>
/// <c>provisioner: Operator</c> on a persistent volume, as upstream gives it: the operator owns the size of that
/// volume's claims and expands them in place when the spec asks for more (a StatefulSet's claim templates cannot
/// change, so this is the only way a size change reaches running pods). Refused, with the reason in Degraded, where
/// Kubernetes cannot do it: a StorageClass without <c>allowVolumeExpansion</c>, or a smaller size (claims never shrink).
/// </summary>
internal sealed class ClaimResizer(KubernetesClient client, EventRecorder events)
{
    public const string ManagerAnnotation = "selectdb.doris.com/pvc-manager";
    private const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";

    // Per cluster and component, the sizes and replicas last found in place: one LIST per change.
    private readonly ConcurrentDictionary<string, string> _settled = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<string>> ResizeAsync(DorisCluster cluster, IReadOnlyDictionary<DorisComponent, StatefulSet?> live, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var component in new[] { DorisComponent.Fe, DorisComponent.Be, DorisComponent.Cn })
        {
            if (cluster.Spec?.SpecOf(component) is not { } spec || live.GetValueOrDefault(component) is not { } sts ||
                (spec.PersistentVolumes ?? []).All(v => v.Provisioner != "Operator"))
            {
                continue;
            }

            // Wanted sizes by live claim template: templates carry the marker our builder puts on Operator volumes.
            var wanted = (sts.Spec?.VolumeClaimTemplates ?? [])
                .Select(t => (Template: t.Metadata!.Name!, Spec: Desired(spec, t)))
                .Where(x => x.Spec is not null)
                .ToDictionary(x => x.Template, x => x.Spec!, StringComparer.Ordinal);
            var key = $"{cluster.Metadata!.Uid}/{component.Key()}";
            var signature = string.Join(";", wanted.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key}={w.Value.Size}")) + $"|{sts.Status?.Replicas}";
            if (wanted.Count == 0 || _settled.GetValueOrDefault(key) == signature)
            {
                continue;
            }

            var before = problems.Count;
            await ResizeComponentAsync(cluster, component, sts, wanted, problems, cancellationToken).ConfigureAwait(false);
            if (problems.Count == before)
            {
                _settled[key] = signature;
            }
        }

        return problems;
    }

    private sealed record Wanted(Quantity Size, string? StorageClass);

    // The size the spec asks for a live claim template, when that template's volume is Operator-provisioned (a
    // multi-disk template is named "<volume>-<disk>", so it matches its volume by prefix).
    private static Wanted? Desired(ComponentSpec spec, PersistentVolumeClaim template)
    {
        var name = template.Metadata!.Name!;
        var volume = (spec.PersistentVolumes ?? []).Where(v => v.Provisioner == "Operator" && v.Name is { Length: > 0 })
            .FirstOrDefault(v => name == v.Name || name.StartsWith(v.Name + "-", StringComparison.Ordinal));
        return volume?.PersistentVolumeClaimSpec?.Resources?.Requests?.GetValueOrDefault("storage") is { } size
            ? new Wanted(size, volume.PersistentVolumeClaimSpec.StorageClassName)
            : null;
    }

    private async Task ResizeComponentAsync(DorisCluster cluster, DorisComponent component, StatefulSet sts, Dictionary<string, Wanted> wanted, List<string> problems, CancellationToken cancellationToken)
    {
        var ns = cluster.Metadata!.Namespace;
        var claims = ComponentClaims.Client(client);
        foreach (var claim in await ComponentClaims.ListAsync(client, cluster, component, cancellationToken).ConfigureAwait(false))
        {
            var name = claim.Metadata!.Name!;
            var template = wanted.Keys.FirstOrDefault(t => name.StartsWith($"{t}-{sts.Metadata!.Name}-", StringComparison.Ordinal));
            if (template is null || claim.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            var want = wanted[template];
            var have = claim.Spec?.Resources?.Requests?.GetValueOrDefault("storage");
            if (!Quantity.TryParse(want.Size.Value, out var wantBytes) || !Quantity.TryParse(have?.Value, out var haveBytes) || wantBytes == haveBytes)
            {
                continue;
            }

            if (wantBytes < haveBytes)
            {
                problems.Add($"{component.Key()}: claim {name} is {have} and the spec asks {want.Size}; claims cannot shrink, so keep {have} or more");
                continue;
            }

            var className = claim.Spec?.StorageClassName ?? want.StorageClass;
            if (await ExpansionRefusedAsync(className, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                problems.Add($"{component.Key()}: claim {name} cannot grow to {want.Size}: {refusal}");
                continue;
            }

            var patch = "{\"spec\":{\"resources\":{\"requests\":{\"storage\":" + System.Text.Json.JsonSerializer.Serialize(want.Size.Value, KubernetesJsonContext.Default.String) + "}}}}";
            await claims.PatchAsync(ns, name, PatchType.Merge, patch, cancellationToken: cancellationToken).ConfigureAwait(false);
            await events.RecordAsync(cluster, "Normal", "ClaimExpanding", $"{component.Key()}: claim {name} is growing from {have} to {want.Size} in place (provisioner: Operator); the pod keeps running", cancellationToken).ConfigureAwait(false);
        }
    }

    // Kubernetes expands a claim only when its StorageClass allows it; the API server would refuse the patch.
    private async Task<string?> ExpansionRefusedAsync(string? className, CancellationToken cancellationToken)
    {
        var classes = client.For(ResourceDescriptor.StorageClasses, KubernetesJsonContext.Default.StorageClass);
        StorageClass? storageClass;
        try
        {
            storageClass = className is { Length: > 0 }
                ? await classes.GetAsync(null, className, cancellationToken).ConfigureAwait(false)
                : (await classes.ListAsync(null, cancellationToken: cancellationToken).ConfigureAwait(false)).Items.FirstOrDefault(c => c.Metadata?.Annotations?.GetValueOrDefault(DefaultClassAnnotation) == "true");
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return $"StorageClass {className} does not exist";
        }

        return storageClass switch
        {
            null => "the claim names no StorageClass and none is marked default; name one in persistentVolumeClaimSpec.storageClassName",
            { AllowVolumeExpansion: true } => null,
            _ => $"StorageClass {storageClass.Metadata!.Name} does not allow volume expansion; set allowVolumeExpansion: true on it (the EBS CSI driver supports it)",
        };
    }
}
