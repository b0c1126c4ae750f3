using Doris.Api.V1;

namespace Doris.Api.Validation;

internal static class AutoscalingRules
{
    public static void Check(CnSpec cn, AutoScalingPolicy policy, string path, List<ValidationIssue> issues)
    {
        if (policy.MaxReplicas is null)
        {
            issues.Add(ValidationIssue.Error(path + ".maxReplicas", "missing; set the most CN pods the autoscaler may run"));
        }

        if (policy.MinReplicas is < 1)
        {
            issues.Add(ValidationIssue.Error(path + ".minReplicas", $"{policy.MinReplicas} is below 1; a HorizontalPodAutoscaler keeps at least one pod. Use 1 or more"));
        }

        if (policy.MinReplicas is { } min && policy.MaxReplicas is { } max && min > max)
        {
            issues.Add(ValidationIssue.Error(path + ".minReplicas", $"{min} is more than maxReplicas {max}; raise maxReplicas or lower minReplicas"));
        }

        if (policy.Version == "v1" && policy.HpaPolicy is not null)
        {
            issues.Add(ValidationIssue.Warning(path + ".hpaPolicy", "autoscaling/v1 has no metrics or behavior, so hpaPolicy is ignored; use version: v2"));
        }

        if (cn.Replicas is { } replicas && (replicas < (policy.MinReplicas ?? 1) || policy.MaxReplicas is { } most && replicas > most))
        {
            issues.Add(ValidationIssue.Warning("spec.cnSpec.replicas", $"{replicas} is outside the autoscaler's range [{policy.MinReplicas ?? 1}, {policy.MaxReplicas}]; the autoscaler will move it into range"));
        }

        var metrics = policy.HpaPolicy?.Metrics ?? [];
        for (var i = 0; i < metrics.Count; i++)
        {
            var m = metrics[i];
            var source = m.Type switch
            {
                "Resource" => (object?)m.Resource,
                "Pods" => m.Pods,
                "Object" => m.Object,
                "External" => m.External,
                "ContainerResource" => m.ContainerResource,
                _ => null,
            };
            if (m.Type is not ("Resource" or "Pods" or "Object" or "External" or "ContainerResource"))
            {
                issues.Add(ValidationIssue.Error($"{path}.hpaPolicy.metrics[{i}].type", $"'{m.Type}' is not a metric type; use Resource, Pods, Object, External or ContainerResource"));
            }
            else if (source is null)
            {
                var field = char.ToLowerInvariant(m.Type[0]) + m.Type[1..];
                issues.Add(ValidationIssue.Error($"{path}.hpaPolicy.metrics[{i}].{field}", $"missing; a metric of type {m.Type} needs its '{field}' section"));
            }
        }
    }
}
