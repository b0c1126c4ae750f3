using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Schema;
using Doris.Kubernetes.Serialization;

namespace Doris.Eks.Blueprints;

/// <summary>Reads a blueprint and reports every problem at once: schema first (unknown fields, types), then the rules.</summary>
public static class BlueprintReader
{
    private static readonly Lazy<JsonObject> CachedSchema = new(() => StructuralSchemaGenerator.Generate(EksJsonContext.Default.Blueprint));

    /// <summary>The blueprint's JSON schema, as published by <c>dorisctl eks schema</c>.</summary>
    public static JsonObject Schema => CachedSchema.Value;

    public static (Blueprint? Blueprint, IReadOnlyList<BlueprintIssue> Issues) Read(ManifestDocument document, Instances.InstanceCatalog catalog)
    {
        var issues = new List<BlueprintIssue>();
        if (document.Root is not JsonObject)
        {
            var what = document.Root switch { null => "empty (null)", JsonArray => "a list", _ => $"the value {document.Root.ToJsonString()}" };
            issues.Add(new BlueprintIssue(true, "<document>", $"the blueprint is {what}; it must be a mapping that starts 'apiVersion: dorisctl.io/v1alpha1' and 'kind: EksBlueprint' (see 'dorisctl eks plan --help' or examples/eks/)"));
            return (null, issues);
        }

        foreach (var v in new SchemaValidator().Validate(document.Root, Schema))
        {
            issues.Add(new BlueprintIssue(true, v.Path, v.Message));
        }

        if (issues.Count > 0)
        {
            return (null, issues);
        }

        var blueprint = document.Root.Deserialize(EksJsonContext.Default.Blueprint)!;
        BlueprintRules.Check(blueprint, catalog, issues);
        if (!issues.Any(i => i.IsError))
        {
            CheckSubnetCapacity(blueprint, catalog, issues);
        }

        return (issues.Any(i => i.IsError) ? null : blueprint, issues);
    }

    /// <summary>A plan whose pods cannot get addresses at maximum size is refused, naming the subnet to grow.</summary>
    private static void CheckSubnetCapacity(Blueprint blueprint, Instances.InstanceCatalog catalog, List<BlueprintIssue> issues)
    {
        var subnets = Planning.IpPlanner.Plan(blueprint, Planning.GroupResolver.Resolve(blueprint, catalog));
        foreach (var (plan, i) in subnets.Select((p, i) => (p, i)).Where(x => !x.p.Fits))
        {
            issues.Add(new BlueprintIssue(true, $"vpc.subnets[{i}].cidr",
                $"{plan.Cidr} has {plan.Usable} usable addresses but the pools in {plan.Zone} need up to {plan.Needed} at maximum size (10% headroom included); use a larger subnet, lower maxSize, or enable prefixDelegation"));
        }
    }
}
