using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

internal static class StatefulSetBuilder
{
    public static StatefulSet Build(ComponentContext c)
    {
        var persistent = PersistentVolumeResolver.Resolve(c);
        var templates = VolumeBuilder.ClaimTemplates(persistent);
        var template = PodTemplateBuilder.Build(c, persistent);
        return new StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = new ObjectMeta
            {
                Name = DorisNames.StatefulSet(c.Name, c.Component),
                Namespace = c.Namespace,
                Labels = DorisLabels.Owner(c.Name, c.Component),
                Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [DorisLabels.TemplateHash] = ObjectHash.Template(template) },
                OwnerReferences = c.Owners,
            },
            Spec = new StatefulSetSpec
            {
                Replicas = c.Spec.DesiredReplicas(),
                Selector = new LabelSelector { MatchLabels = DorisLabels.Selector(c.Name, c.Component) },
                ServiceName = DorisNames.InternalService(c.Name, c.Component),

                // Doris members join and leave through the FE, not through pod order, so all pods may start together.
                PodManagementPolicy = "Parallel",
                UpdateStrategy = new StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new RollingUpdateStatefulSetStrategy { Partition = c.Partition } },
                RevisionHistoryLimit = 5,
                Template = template,
                VolumeClaimTemplates = templates.Count > 0 ? templates : null,
            },
        };
    }
}
