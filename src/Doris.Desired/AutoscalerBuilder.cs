using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>
/// The CN HorizontalPodAutoscaler, <c>autoscaling/v2</c> (default) or <c>autoscaling/v1</c>. It targets the
/// DorisCluster's <c>/scale</c> subresource (<c>spec.cnSpec.replicas</c>), not the StatefulSet, so scale-down goes
/// through the operator, which decommissions and drops CNs before their pods go. (Upstream targets the StatefulSet.)
/// </summary>
internal static class AutoscalerBuilder
{
    public static IKubernetesObject Build(ComponentContext c, AutoScalingPolicy policy)
    {
        var labels = DorisLabels.Owner(c.Name, DorisComponent.Cn, DorisLabels.Component, "autoscaler");
        var metadata = new ObjectMeta { Name = DorisNames.Autoscaler(c.Name), Namespace = c.Namespace, Labels = labels, OwnerReferences = c.Owners };
        var target = c.Name;
        if (policy.Version == "v1")
        {
            return new HorizontalPodAutoscalerV1
            {
                ApiVersion = "autoscaling/v1",
                Kind = "HorizontalPodAutoscaler",
                Metadata = metadata,
                Spec = new HorizontalPodAutoscalerSpecV1
                {
                    ScaleTargetRef = new CrossVersionObjectReferenceV1 { ApiVersion = Api.Crd.DorisClusterCrd.ApiVersion, Kind = Api.Crd.DorisClusterCrd.Kind, Name = target },
                    MinReplicas = policy.MinReplicas,
                    MaxReplicas = policy.MaxReplicas,
                },
            };
        }

        return new HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = metadata,
            Spec = new HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new CrossVersionObjectReference { ApiVersion = Api.Crd.DorisClusterCrd.ApiVersion, Kind = Api.Crd.DorisClusterCrd.Kind, Name = target },
                MinReplicas = policy.MinReplicas,
                MaxReplicas = policy.MaxReplicas,
                Metrics = policy.HpaPolicy?.Metrics,
                Behavior = policy.HpaPolicy?.Behavior,
            },
        };
    }
}
