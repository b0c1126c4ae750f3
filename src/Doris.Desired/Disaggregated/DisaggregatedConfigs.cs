using Doris.Api.Config;
using Doris.Api.Disaggregated;
using Doris.Kubernetes.Models;

namespace Doris.Desired.Disaggregated;

/// <summary>
/// Each component's core configuration, as upstream finds it: the first of the component's ConfigMaps that holds
/// its file (doris_cloud.conf for the meta service, fe.conf, be.conf); the Doris defaults when none does.
/// </summary>
public sealed record DisaggregatedConfigs(ComponentConfig MetaService, ComponentConfig Fe, IReadOnlyDictionary<string, ComponentConfig> ComputeGroups)
{
    /// <summary>
    /// FoundationDB's cluster string for the meta service: fdb.address, else the key cluster-file of the ConfigMap
    /// fdb.configMapNamespaceName names (when given); null when neither is known (upstream then sets no FDB_ENDPOINT).
    /// </summary>
    public string? FdbEndpoint { get; init; }

    public const string MetaServiceKey = "doris_cloud.conf";
    public const string FeKey = "fe.conf";
    public const string BeKey = "be.conf";

    public ComponentConfig For(ComputeGroup group) => ComputeGroups.GetValueOrDefault(group.UniqueId ?? string.Empty) ?? ComponentConfig.None;

    public static DisaggregatedConfigs Resolve(DisaggregatedClusterSpec spec, IReadOnlyDictionary<string, ConfigMap> configMaps)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ComponentConfig Find(IReadOnlyList<ConfigMapMount>? mounts, string key) =>
            (mounts ?? []).Select(m => m.Name is { } name ? configMaps.GetValueOrDefault(name) : null)
                .Select(cm => cm?.Data?.GetValueOrDefault(key)).FirstOrDefault(text => text is not null) is { } file
                ? ComponentConfig.FromFile(file)
                : ComponentConfig.None;

        var fdb = spec.MetaService?.Fdb;
        var endpoint = !string.IsNullOrEmpty(fdb?.Address) ? fdb.Address
            : fdb?.ConfigMapNamespaceName?.Name is { } fdbMap ? configMaps.GetValueOrDefault(fdbMap)?.Data?.GetValueOrDefault("cluster-file") : null;
        return new DisaggregatedConfigs(
            Find(spec.MetaService?.ConfigMaps, MetaServiceKey),
            Find(spec.FeSpec?.ConfigMaps, FeKey),
            (spec.ComputeGroups ?? []).Where(g => g.UniqueId is not null).DistinctBy(g => g.UniqueId).ToDictionary(g => g.UniqueId!, g => Find(g.ConfigMaps, BeKey), StringComparer.Ordinal))
        {
            FdbEndpoint = endpoint,
        };
    }
}
