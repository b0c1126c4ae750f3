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

        return new DisaggregatedConfigs(
            Find(spec.MetaService?.ConfigMaps, MetaServiceKey),
            Find(spec.FeSpec?.ConfigMaps, FeKey),
            (spec.ComputeGroups ?? []).Where(g => g.UniqueId is not null).DistinctBy(g => g.UniqueId).ToDictionary(g => g.UniqueId!, g => Find(g.ConfigMaps, BeKey), StringComparer.Ordinal));
    }
}
