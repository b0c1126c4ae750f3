using Doris.Api.Disaggregated;
using Doris.Kubernetes.Models;

namespace Doris.Desired.Disaggregated;

/// <summary>What differs between the meta service's, the FE's and a compute group's StatefulSet; the rest is shared.</summary>
internal sealed record DisaggregatedSetParts(
    string Name,
    Dictionary<string, string> Labels,
    Dictionary<string, string> Selector,
    int? Replicas,
    string ServiceName,
    string TemplateName,
    DisaggregatedComponentSpec Spec,
    Container Container,
    List<Volume> Volumes,
    List<PersistentVolumeClaim> Claims,
    Affinity Affinity)
{
    public long? GraceSeconds { get; init; }

    public List<Container>? InitContainers { get; init; }
}

/// <summary>Upstream's StatefulSet around a component's pod (NewDefaultStatefulset, NewPodTemplateSpecWithCommonSpec).</summary>
internal static class DisaggregatedStatefulSetShape
{
    public static StatefulSet Build(DorisDisaggregatedCluster cluster, DisaggregatedSetParts p)
    {
        // The pod carries the selector's labels and the spec's own; the selector's win.
        var podLabels = new Dictionary<string, string>(p.Selector, StringComparer.Ordinal);
        foreach (var (k, v) in p.Spec.Labels ?? new Dictionary<string, string>())
        {
            podLabels.TryAdd(k, v);
        }

        return new StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = new ObjectMeta { Name = p.Name, Namespace = cluster.Metadata!.Namespace, Labels = p.Labels, OwnerReferences = DisaggregatedPodParts.Owners(cluster) },
            Spec = DisaggregatedPodParts.DefaultSpec() with
            {
                Replicas = p.Replicas,
                VolumeClaimTemplates = p.Claims.Count == 0 ? null : p.Claims,
                Selector = new LabelSelector { MatchLabels = p.Selector },
                ServiceName = p.ServiceName,
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Name = p.TemplateName, Labels = podLabels, Annotations = p.Spec.Annotations },
                    Spec = new PodSpec
                    {
                        ImagePullSecrets = p.Spec.ImagePullSecrets,
                        NodeSelector = p.Spec.NodeSelector,
                        ServiceAccountName = p.Spec.ServiceAccount,
                        // dorisctl's spotPolicy, only where the user set it: upstream's manifests render as upstream does.
                        Tolerations = SpotPlacement.Tolerations(p.Spec.SpotPolicy, p.Spec.Tolerations),
                        HostAliases = p.Spec.HostAliases,
                        SecurityContext = p.Spec.SecurityContext,
                        TerminationGracePeriodSeconds = p.GraceSeconds,
                        InitContainers = p.InitContainers,
                        Volumes = p.Volumes,
                        Containers = [p.Container],
                        Affinity = p.Spec.SpotPolicy is null ? p.Affinity : p.Affinity with { NodeAffinity = SpotPlacement.Affinity(p.Spec.SpotPolicy, p.Affinity.NodeAffinity) },
                    },
                },
            },
        };
    }
}
