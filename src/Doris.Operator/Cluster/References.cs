using Doris.Api;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Operator.Cluster;

/// <summary>The ConfigMaps and Secrets a cluster names: fetched by name (never listed), and the missing ones reported.</summary>
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

    public static async Task<Result> LoadAsync(KubernetesClient client, DorisCluster cluster, CancellationToken cancellationToken)
    {
        var ns = cluster.Metadata!.Namespace ?? "default";
        var configMaps = new Dictionary<string, ConfigMap>(StringComparer.Ordinal);
        var missing = new List<string>();
        var maps = client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap);
        foreach (var name in ConfigMapNames(cluster.Spec!))
        {
            try
            {
                configMaps[name] = await maps.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                missing.Add($"ConfigMap {ns}/{name}");
            }
        }

        var secrets = client.For(ResourceDescriptor.Secrets, KubernetesJsonContext.Default.Secret);
        foreach (var name in SecretNames(cluster.Spec!))
        {
            try
            {
                // Only existence matters here; the Secret's data is never read, logged or copied by the operator.
                await secrets.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                missing.Add($"Secret {ns}/{name}");
            }
        }

        return new Result(configMaps, missing);
    }
}
