using System.Text;
using System.Text.Json.Nodes;
using Doris.Eks.Lint;
using Doris.Kubernetes.Schema;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Eks.Tests;

public sealed class PlanTests
{
    private static readonly Lazy<JsonObject> EksctlReference = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(SharedFiles.Reference("eks", "eksctl-clusterconfig-v1alpha5.schema.json")))!);

    public static TheoryData<string> Examples() => [.. Blueprints.Examples];

    [Fact]
    public void Examples_ThreeBlueprints() => Blueprints.Examples.Count.ShouldBe(3);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Plan_Example_MatchesGoldenFile(string file)
    {
        var plan = Blueprints.Plan(file);
        var text = new StringBuilder(Planning.PlanSummary.Render(plan, file.Contains("prefix", StringComparison.Ordinal)));
        foreach (var artefact in plan.Artefacts)
        {
            text.Append("\n#### ").Append(artefact.Path).Append(" (").Append(artefact.Format).Append(")\n").Append(artefact.Content);
        }

        Golden.Match(text.ToString(), Path.Combine(SharedFiles.SourceDirectory(), "Golden", Path.GetFileName(file)));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Plan_EksctlClusterConfig_ValidatesAgainstTheEksctlSchema(string file)
    {
        var config = YamlReader.Read(Blueprints.Plan(file).Artefacts.Single(a => a.Path == "eksctl-cluster.yaml").Content, "eksctl.yaml").Single().Root;
        var definitions = (JsonObject)EksctlReference.Value["definitions"]!;

        var violations = new SchemaValidator(r => definitions[r["#/definitions/".Length..]]).Validate(config, EksctlReference.Value);

        violations.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Plan_Example_LintsClean(string file)
    {
        var plan = Blueprints.Plan(file);
        var docs = plan.Artefacts.Where(a => a.Path.EndsWith(".yaml", StringComparison.Ordinal) || a.Path == "terraform.tfvars.json").SelectMany(a => YamlReader.Read(a.Content, a.Path)).Select(d => d.Root);

        EksLinter.Lint(LintInput.From(docs), Instances.InstanceCatalog.Default).ShouldBeEmpty();
    }

    [Fact]
    public void Plan_StatefulPools_OneOnDemandGroupPerZoneWithAzRebalanceSuspended()
    {
        var plan = Blueprints.Plan(Blueprints.Examples.Single(f => f.EndsWith("kmax-spot.yaml", StringComparison.Ordinal)));

        var be = plan.Groups.Where(g => g.Role == "be").ToList();
        be.Select(g => g.Name).ShouldBe(["dsp-16c128g-ondemand-use1a", "dsp-16c128g-ondemand-use1b", "dsp-16c128g-ondemand-use1c"]);
        be.ShouldAllBe(g => g.Zones.Count == 1 && !g.Spot && g.MinSize == 1 && g.MaxSize == 3);
        plan.Groups.Single(g => g.Name == "dsp-8c64g-spot").Types.Count.ShouldBeGreaterThanOrEqualTo(4);
    }

    [Fact]
    public void CompactEksctlSchema_HasEveryDefinitionAndPropertyOfTheReference()
    {
        var reference = (JsonObject)EksctlReference.Value["definitions"]!;
        var compact = (JsonObject)EksctlSchema.Document["definitions"]!;
        var missing = new List<string>();
        foreach (var (name, definition) in reference)
        {
            if (compact[name] is not JsonObject ours)
            {
                missing.Add(name);
                continue;
            }

            foreach (var key in new[] { "type", "required", "enum", "$ref", "additionalProperties", "items" })
            {
                if (definition![key]?.ToJsonString() is { } value && key != "additionalProperties" && key != "items" && ours[key]?.ToJsonString() != value)
                {
                    missing.Add($"{name}.{key}");
                }
            }

            foreach (var (property, _) in definition!["properties"] as JsonObject ?? [])
            {
                if (ours["properties"]?[property] is null)
                {
                    missing.Add($"{name}.properties.{property}");
                }
            }
        }

        missing.ShouldBeEmpty();
    }
}
