using Doris.Api;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>
/// The pure heart of the operator: a DorisCluster (plus the ConfigMaps it references) in, the objects it
/// should own out. No clock, no client, no file system, so the same input always renders the same output.
/// </summary>
public static class DesiredClusterBuilder
{
    /// <param name="cluster">A cluster that passed validation.</param>
    /// <param name="configMaps">ConfigMaps of the cluster's namespace by name; missing ones mean default ports.</param>
    /// <param name="restartedAt">Accepted restart times per component (the operator checks their age); stamped on pod templates.</param>
    /// <param name="partitions">Rolling-update partitions per component from the operator's rollout gate (default 0).</param>
    public static DesiredCluster Build(DorisCluster cluster, IReadOnlyDictionary<string, ConfigMap> configMaps, IReadOnlyDictionary<DorisComponent, string>? restartedAt = null, IReadOnlyDictionary<DorisComponent, int>? partitions = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (cluster.Metadata?.Name is not { Length: > 0 } || cluster.Spec is null)
        {
            throw new ArgumentException("the cluster must have metadata.name and spec; validate it first", nameof(cluster));
        }

        var warnings = new List<string>();
        var spec = cluster.Spec;
        var feConfig = spec.FeSpec is { } fe ? ConfigResolver.Resolve(DorisComponent.Fe, fe, configMaps, warnings) : Api.Config.ComponentConfig.None;
        var objects = new List<IKubernetesObject>();
        foreach (var component in DorisComponentExtensions.All)
        {
            if (spec.SpecOf(component) is not { } componentSpec)
            {
                continue;
            }

            var config = component == DorisComponent.Fe ? feConfig : ConfigResolver.Resolve(component, componentSpec, configMaps, warnings);
            var context = new ComponentContext(cluster, component, componentSpec, config, feConfig) { RestartedAt = restartedAt?.GetValueOrDefault(component), Partition = partitions?.GetValueOrDefault(component) ?? 0 };
            objects.Add(Stamped(ServiceBuilder.Internal(context)));
            if (component != DorisComponent.Broker)
            {
                objects.Add(Stamped(ServiceBuilder.External(context)));
            }

            objects.Add(Stamped(StatefulSetBuilder.Build(context)));
            if (DisruptionBudgetBuilder.Build(context) is { } pdb)
            {
                objects.Add(Stamped(pdb));
            }

            if (componentSpec is CnSpec { AutoScalingPolicy: { } policy })
            {
                objects.Add(Stamped(AutoscalerBuilder.Build(context, policy)));
            }
        }

        return new DesiredCluster(objects, warnings);
    }

    /// <summary>Every object carries the hash of its desired state, so a reconcile can skip unchanged ones without a deep compare.</summary>
    private static IKubernetesObject Stamped(IKubernetesObject obj) => obj switch
    {
        StatefulSet s => s with { Metadata = ObjectHash.Stamp(s) },
        Service s => s with { Metadata = ObjectHash.Stamp(s) },
        PodDisruptionBudget p => p with { Metadata = ObjectHash.Stamp(p) },
        HorizontalPodAutoscaler h => h with { Metadata = ObjectHash.Stamp(h) },
        HorizontalPodAutoscalerV1 h => h with { Metadata = ObjectHash.Stamp(h) },
        _ => throw new NotSupportedException($"no hash stamping for {obj.Kind}"),
    };
}
