using Doris.Api.Disaggregated;
using Doris.Kubernetes.Models;

namespace Doris.Desired.Disaggregated;

/// <summary>
/// Everything a DorisDisaggregatedCluster becomes, in upstream's order: the meta service (StatefulSet, Service), the FE
/// (StatefulSet, access and internal Services), then each compute group (StatefulSet, internal and external
/// Services); each StatefulSet followed by dorisctl's PodDisruptionBudget for it (<see cref="DisaggregatedBudgets"/>). Pure: the ConfigMaps the components name (fe.conf, be.conf, doris_cloud.conf, FoundationDB's
/// cluster-file) are passed in.
/// </summary>
public static class DisaggregatedClusterBuilder
{
    public static DesiredCluster Build(DorisDisaggregatedCluster cluster, IReadOnlyDictionary<string, ConfigMap> configMaps)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(configMaps);
        var spec = cluster.Spec!;
        var configs = DisaggregatedConfigs.Resolve(spec, configMaps);
        var services = DisaggregatedServiceBuilder.Build(cluster, configs).ToDictionary(s => s.Metadata!.Name!, StringComparer.Ordinal);
        var name = cluster.Metadata!.Name!;
        var objects = new List<IKubernetesObject>();
        var warnings = new List<string>();
        void Add(string serviceName)
        {
            if (services.Remove(serviceName, out var service))
            {
                objects.Add(service);
            }
        }

        void Budget(StatefulSet set, DisaggregatedComponentSpec component)
        {
            if (DisaggregatedBudgets.Build(cluster, set, component) is { } budget)
            {
                objects.Add(budget);
            }
        }

        if (spec.MetaService is not null)
        {
            var ms = DisaggregatedStatefulSetBuilder.MetaService(cluster, configs);
            objects.Add(ms);
            Budget(ms, spec.MetaService);
            Add(Doris.Api.Naming.DisaggregatedNames.MetaServiceStatefulSet(name));
            if (configs.FdbEndpoint is null)
            {
                warnings.Add($"the meta service gets no FDB_ENDPOINT: give the FoundationDB ConfigMap '{spec.MetaService.Fdb?.ConfigMapNamespaceName?.Name}' (key cluster-file) with -f, or set spec.metaService.fdb.address; the operator reads it from the cluster");
            }
        }

        if (spec.FeSpec is not null)
        {
            var fe = DisaggregatedFrontendBuilder.Build(cluster, configs);
            objects.Add(fe);
            Budget(fe, spec.FeSpec);
            Add(Doris.Api.Naming.DisaggregatedNames.FrontendStatefulSet(name));
            Add(name + "-fe-internal");
        }

        foreach (var group in (spec.ComputeGroups ?? []).Where(g => g.UniqueId is { Length: > 0 }))
        {
            var set = DisaggregatedComputeGroupBuilder.Build(cluster, group, configs);
            objects.Add(set);
            Budget(set, group);
            var serviceName = Doris.Api.Naming.DisaggregatedNames.ComputeGroupStatefulSet(name, group.UniqueId!);
            Add(serviceName);
            Add(serviceName + "-external");
        }

        objects.AddRange(services.Values); // none left: every Service belongs to one component above
        return new DesiredCluster(objects, warnings);
    }
}
