using Doris.Api.Disaggregated;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Disaggregated;

/// <summary>The ConfigMaps and Secrets a DorisDisaggregatedCluster names, and loading them from the caches.</summary>
public static class DisaggregatedReferences
{
    public sealed record Result(IReadOnlyDictionary<string, ConfigMap> ConfigMaps, IReadOnlyList<string> Missing);

    private static IEnumerable<DisaggregatedComponentSpec> Components(DisaggregatedClusterSpec spec) =>
        new DisaggregatedComponentSpec?[] { spec.MetaService, spec.FeSpec }.Concat(spec.ComputeGroups ?? []).OfType<DisaggregatedComponentSpec>();

    /// <summary>Every ConfigMap (namespace, name) the cluster names: its components' files and FoundationDB's cluster file.</summary>
    public static IReadOnlySet<(string Namespace, string Name)> ConfigMaps(DorisDisaggregatedCluster cluster)
    {
        var ns = cluster.Metadata?.Namespace ?? "default";
        var names = new HashSet<(string, string)>();
        if (cluster.Spec is not { } spec)
        {
            return names;
        }

        foreach (var name in Components(spec).SelectMany(c => c.ConfigMaps ?? []).Select(m => m.Name).OfType<string>().Where(n => n.Length > 0))
        {
            names.Add((ns, name));
        }

        if (spec.MetaService?.Fdb?.ConfigMapNamespaceName is { Name: { Length: > 0 } fdb } where)
        {
            names.Add((string.IsNullOrEmpty(where.Namespace) ? ns : where.Namespace, fdb));
        }

        return names;
    }

    public static IEnumerable<string> SecretNames(DisaggregatedClusterSpec spec) =>
        new[] { spec.AuthSecret }.Concat(Components(spec).SelectMany(c => (c.Secrets ?? []).Select(s => s.SecretName)))
            .OfType<string>().Where(n => n.Length > 0).Distinct(StringComparer.Ordinal);

    /// <summary>The named ConfigMaps by name (as the builders take them) and what is missing, Secrets included (existence only).</summary>
    public static async Task<Result> LoadAsync(DisaggregatedView view, Cluster.IClusterView secrets, DorisDisaggregatedCluster cluster, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, ConfigMap>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (ns, name) in ConfigMaps(cluster).OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            if (await view.ConfigMapAsync(ns, name, cancellationToken).ConfigureAwait(false) is { } map)
            {
                found[name] = map;
            }
            else
            {
                missing.Add($"ConfigMap {ns}/{name}");
            }
        }

        var clusterNs = cluster.Metadata!.Namespace ?? "default";
        foreach (var name in SecretNames(cluster.Spec!))
        {
            if (!await secrets.SecretExistsAsync(clusterNs, name, cancellationToken).ConfigureAwait(false))
            {
                missing.Add($"Secret {clusterNs}/{name}");
            }
        }

        return new Result(found, missing);
    }
}
