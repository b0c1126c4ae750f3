using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>The CN HorizontalPodAutoscaler, <c>autoscaling/v2</c> (default) or <c>autoscaling/v1</c>.</summary>
internal static class AutoscalerBuilder
{
    public static IKubernetesObject Build(ComponentContext c, AutoScalingPolicy policy)
    {
        var labels = DorisLabels.Owner(c.Name, DorisComponent.Cn, DorisLabels.Component, "autoscaler");
        var metadata = new ObjectMeta { Name = DorisNames.Autoscaler(c.Name), Namespace = c.Namespace, Labels = labels, OwnerReferences = c.Owners };
        var target = DorisNames.StatefulSet(c.Name, DorisComponent.Cn);
        if (policy.Version == "v1")
        {
            return new HorizontalPodAutoscalerV1
            {
                ApiVersion = "autoscaling/v1",
                Kind = "HorizontalPodAutoscaler",
                Metadata = metadata,
                Spec = new HorizontalPodAutoscalerSpecV1
                {
                    ScaleTargetRef = new CrossVersionObjectReferenceV1 { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = target },
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
                ScaleTargetRef = new CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = target },
                MinReplicas = policy.MinReplicas,
                MaxReplicas = policy.MaxReplicas,
                Metrics = policy.HpaPolicy?.Metrics,
                Behavior = policy.HpaPolicy?.Behavior,
            },
        };
    }
}
