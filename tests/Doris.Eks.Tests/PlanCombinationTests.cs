using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;
using Doris.Eks.Instances;
using Doris.Eks.Lint;
using Doris.Eks.Planning;
using Doris.Kubernetes.Schema;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Eks.Tests;

/// <summary>
/// Every combination of node OS, autoscaler, prefix delegation, capacity type and architecture: the plan is valid
/// for the schemas of the tools that read it (eksctl, Karpenter's CRDs) and our own linter finds nothing in it.
/// </summary>
public sealed class PlanCombinationTests
{
    public static TheoryData<string, string, bool, string, string> Combinations()
    {
        var data = new TheoryData<string, string, bool, string, string>();
        foreach (var os in new[] { "AL2023", "Bottlerocket" })
        {
            foreach (var autoscaler in new[] { "cluster-autoscaler", "karpenter" })
            {
                foreach (var prefix in new[] { false, true })
                {
                    foreach (var lifecycle in new[] { "spot", "on-demand" })
                    {
                        foreach (var arch in new[] { "amd64", "arm64" })
                        {
                            data.Add(os, autoscaler, prefix, lifecycle, arch);
                        }
                    }
                }
            }
        }

        return data;
    }

    private static EksPlan Plan(string os, string autoscaler, bool prefix, string lifecycle, string arch)
    {
        var yaml = $$"""
            apiVersion: dorisctl.io/v1alpha1
            kind: EksBlueprint
            name: combo
            region: us-east-1
            nodeOs: {{os}}
            autoscaler: {{autoscaler}}
            prefixDelegation: {{(prefix ? "true" : "false")}}
            {{(os == "Bottlerocket" && autoscaler == "karpenter" ? "amiAlias: bottlerocket@v1.54.0" : string.Empty)}}
            kmsKeyArn: arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789
            vpc:
              id: vpc-0123456789abcdef0
              subnets:
              - {zone: us-east-1a, id: subnet-a, cidr: 10.0.0.0/19}
              - {zone: us-east-1b, id: subnet-b, cidr: 10.0.32.0/19}
              - {zone: us-east-1c, id: subnet-c, cidr: 10.0.64.0/19}
            pools:
            - {team: dsp, spec: 8c32g, lifecycle: on-demand, role: fe, minSize: 3, maxSize: 3, architecture: {{arch}}}
            - {team: dsp, spec: 16c128g, lifecycle: on-demand, role: be, minSize: 3, maxSize: 6, architecture: {{arch}}}
            - {team: dsp, spec: 8c64g, lifecycle: {{lifecycle}}, role: cn, minSize: 0, maxSize: 20, architecture: {{arch}}}

            """;
        var (blueprint, issues) = Blueprints.Read(yaml);
        blueprint.ShouldNotBeNull(string.Join("\n", issues));
        return EksPlanner.Plan(blueprint!, InstanceCatalog.Default);
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Plan_AnyCombination_SchemaValidAndLintsClean(string os, string autoscaler, bool prefix, string lifecycle, string arch)
    {
        var plan = Plan(os, autoscaler, prefix, lifecycle, arch);
        var docs = plan.Artefacts.Where(a => (a.Path.EndsWith(".yaml", StringComparison.Ordinal) && !a.Path.EndsWith(".cfn.yaml", StringComparison.Ordinal)) || a.Path == "terraform.tfvars.json").SelectMany(a => YamlReader.Read(a.Content, a.Path)).Select(d => d.Root).ToList();

        EksLinter.Lint(LintInput.From(docs), InstanceCatalog.Default).Select(f => f.ToString()).ShouldBeEmpty();
        var eksctl = docs.OfType<JsonObject>().Single(d => (string?)d["kind"] == "ClusterConfig");
        var definitions = (JsonObject)EksctlSchema.Value["definitions"]!;
        new SchemaValidator(r => definitions[r["#/definitions/".Length..]]).Validate(eksctl, EksctlSchema.Value).Select(v => v.ToString()).ShouldBeEmpty();
        foreach (var doc in docs.OfType<JsonObject>().Where(d => (string?)d["kind"] is "NodePool" or "EC2NodeClass"))
        {
            var schema = (string?)doc["kind"] == "NodePool" ? NodePoolSchema.Value : NodeClassSchema.Value;
            new SchemaValidator().Validate(doc, schema).Select(v => v.ToString()).ShouldBeEmpty($"{doc["kind"]}/{doc["metadata"]?["name"]}");
        }
    }

    private static readonly Lazy<JsonObject> EksctlSchema = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(SharedFiles.Reference("eks", "eksctl-clusterconfig-v1alpha5.schema.json")))!);

    private static readonly Lazy<JsonObject> NodePoolSchema = new(() => CrdSchema("karpenter.sh_nodepools.yaml"));

    private static readonly Lazy<JsonObject> NodeClassSchema = new(() => CrdSchema("karpenter.k8s.aws_ec2nodeclasses.yaml"));

    private static JsonObject CrdSchema(string file)
    {
        var crd = YamlReader.Read(File.ReadAllText(SharedFiles.Reference("eks", "upstream-schemas", file)), file).Single().Root!;
        return crd["spec"]!["versions"]!.AsArray().Single(v => (string?)v!["name"] == "v1")!["schema"]!["openAPIV3Schema"]!.AsObject();
    }
}
