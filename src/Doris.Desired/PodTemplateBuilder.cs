using Doris.Api;
using Doris.Api.Naming;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

internal static class PodTemplateBuilder
{
    public static PodTemplateSpec Build(ComponentContext c, IReadOnlyList<Api.V1.PersistentVolume> persistent)
    {
        var (volumes, mounts) = VolumeBuilder.Build(c, persistent);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in DorisLabels.Selector(c.Name, c.Component))
        {
            labels[k] = v;
        }

        labels[DorisLabels.Cluster] = c.Name;
        foreach (var (k, v) in c.Spec.PodLabels ?? new Dictionary<string, string>())
        {
            labels[k] = v;
        }

        int? grace = c.Component switch
        {
            DorisComponent.Fe => c.Config.GraceShutdownWaitSeconds ?? DorisDefaults.FeGracePeriodSeconds,
            DorisComponent.Be or DorisComponent.Cn => c.Config.GraceShutdownWaitSeconds ?? DorisDefaults.BeGracePeriodSeconds,
            _ => null,
        };

        return new PodTemplateSpec
        {
            Metadata = new ObjectMeta
            {
                Name = DorisNames.StatefulSet(c.Name, c.Component),
                Labels = labels,
                Annotations = Annotations(c),
            },
            Spec = new PodSpec
            {
                InitContainers = InitContainerBuilder.Build(c) is { Count: > 0 } init ? init : null,
                Containers = [MainContainerBuilder.Build(c, mounts)],
                Volumes = volumes,
                ImagePullSecrets = c.Spec.ImagePullSecrets is { Count: > 0 } secrets ? secrets : null,
                ServiceAccountName = string.IsNullOrEmpty(c.Spec.ServiceAccount) ? null : c.Spec.ServiceAccount,
                NodeSelector = c.Spec.NodeSelector is { Count: > 0 } ns ? ns : null,
                Affinity = AffinityBuilder.Build(c),
                TopologySpreadConstraints = AffinityBuilder.ZoneSpread(c),
                Tolerations = SpotPlacement.Tolerations(c),
                HostAliases = c.Spec.HostAliases is { Count: > 0 } h ? h : null,
                SecurityContext = c.Spec.SecurityContext,
                TerminationGracePeriodSeconds = grace,
            },
        };
    }

    /// <summary>
    /// The user's pod annotations plus what makes a change roll the pods: the accepted restart time, and with
    /// <c>enableRestartWhenConfigChange</c> the hash of the parsed core config file (a new hash is a new template).
    /// </summary>
    private static IReadOnlyDictionary<string, string>? Annotations(ComponentContext c)
    {
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in c.Spec.Annotations ?? new Dictionary<string, string>())
        {
            annotations[k] = v;
        }

        if (c.RestartedAt is { } restartedAt)
        {
            annotations[DorisLabels.RestartedAt(c.Component)] = restartedAt;
        }

        if (c.ClusterSpec.EnableRestartWhenConfigChange == true && c.Config.HasConfigMap)
        {
            annotations[DorisLabels.ConfigHash] = ConfigHash.Compute(c.Config.Properties);
        }

        return annotations.Count > 0 ? annotations : null;
    }
}
