using System.Security.Cryptography;
using System.Text.Json;
using Doris.Api.Naming;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Desired;

/// <summary>
/// Stamps <c>app.doris.components/hash</c>: a digest of the desired object, so a later reconcile can tell
/// "unchanged" from one annotation instead of comparing whole objects with server-side defaults.
/// </summary>
public static class ObjectHash
{
    public static string Compute(IKubernetesObject obj)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), KubernetesJsonContext.Default);
        return Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
    }

    /// <summary>Digest of a pod template: tells whether a StatefulSet's pods must be replaced, whatever else changed.</summary>
    public static string Template(PodTemplateSpec template)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(template, typeof(PodTemplateSpec), KubernetesJsonContext.Default);
        return Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
    }

    /// <summary>The object with its hash annotation, for renders that do not stamp their own (the disaggregated builders).</summary>
    public static IKubernetesObject Stamped(IKubernetesObject obj) => obj switch
    {
        StatefulSet s => s with { Metadata = Stamp(s) },
        Service s => s with { Metadata = Stamp(s) },
        PodDisruptionBudget p => p with { Metadata = Stamp(p) },
        _ => throw new NotSupportedException($"no hash stamp for {obj.Kind}"),
    };

    internal static ObjectMeta Stamp(IKubernetesObject obj)
    {
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in obj.Metadata?.Annotations ?? new Dictionary<string, string>())
        {
            annotations[k] = v;
        }

        annotations[DorisLabels.ComponentsHash] = Compute(obj);
        return obj.Metadata! with { Annotations = annotations };
    }
}
