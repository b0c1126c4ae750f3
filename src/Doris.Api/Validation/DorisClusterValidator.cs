using Doris.Api.V1;

namespace Doris.Api.Validation;

/// <summary>The rules a schema cannot express; each issue names the field, the value and the fix.</summary>
public static class DorisClusterValidator
{
    public static IReadOnlyList<ValidationIssue> Validate(DorisCluster cluster)
    {
        var issues = new List<ValidationIssue>();
        MetadataRules.Check(cluster, issues);
        if (cluster.Spec is not { } spec)
        {
            issues.Add(ValidationIssue.Error("spec", "missing; add a spec with at least feSpec"));
            return issues;
        }

        ClusterRules.Check(spec, issues);
        foreach (var component in DorisComponentExtensions.All)
        {
            if (spec.SpecOf(component) is { } componentSpec)
            {
                var path = $"spec.{component.SpecField()}";
                ComponentRules.Check(component, componentSpec, path, issues);
                VolumeRules.Check(component, spec, componentSpec, path, issues);
            }
        }

        FrontendRules.Check(spec, issues);
        if (spec.CnSpec?.AutoScalingPolicy is { } policy)
        {
            AutoscalingRules.Check(spec.CnSpec, policy, "spec.cnSpec.autoScalingPolicy", issues);
        }

        return issues;
    }
}
