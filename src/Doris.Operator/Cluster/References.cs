using Doris.Api;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Operator.Cluster;

/// <summary>The ConfigMaps and Secrets a cluster names, read through the view (the operator's caches), and the missing ones reported.</summary>
internal static class References
{
    public sealed record Result(IReadOnlyDictionary<string, ConfigMap> ConfigMaps, IReadOnlyList<string> Missing);

    public static IEnumerable<string> ConfigMapNames(DorisClusterSpec spec) =>
        DorisComponentExtensions.All.Select(spec.SpecOf).Where(s => s is not null)
            .SelectMany(s => new[] { s!.ConfigMapInfo?.ConfigMapName }.Concat((s.ConfigMapInfo?.ConfigMaps ?? []).Select(c => c.ConfigMapName)))
            .OfType<string>().Where(n => n.Length > 0).Distinct(StringComparer.Ordinal);

    public static IEnumerable<string> SecretNames(DorisClusterSpec spec) =>
        new[] { spec.AuthSecret }.Concat(DorisComponentExtensions.All.Select(spec.SpecOf).Where(s => s is not null).SelectMany(s => (s!.Secrets ?? []).Select(x => x.SecretName)))
            .OfType<string>().Where(n => n.Length > 0).Distinct(StringComparer.Ordinal);

    public static async Task<Result> LoadAsync(IClusterView view, DorisCluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        var ns = cluster.Metadata!.Namespace ?? "default";
        var configMaps = new Dictionary<string, ConfigMap>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var name in ConfigMapNames(cluster.Spec!))
        {
            if (await view.ConfigMapAsync(ns, name, cancellationToken).ConfigureAwait(false) is { } found)
            {
                configMaps[name] = found;
            }
            else
            {
                missing.Add($"ConfigMap {ns}/{name}");
            }
        }

        foreach (var name in SecretNames(cluster.Spec!))
        {
            // Only existence matters here; the Secret's data is never read, logged or copied by the operator.
            if (!await view.SecretExistsAsync(ns, name, cancellationToken).ConfigureAwait(false))
            {
                missing.Add($"Secret {ns}/{name}");
            }
        }

        return new Result(configMaps, missing);
    }
}
