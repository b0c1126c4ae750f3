using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Doris.Eks.Blueprints;
using Doris.Eks.Instances;
using Doris.Eks.Lint;
using Doris.Eks.Planning;
using Doris.Kubernetes.Serialization;

namespace Doris.Bench;

/// <summary>
/// Planning a blueprint of 400 pools (every artefact, including user data and the IP plan) and linting
/// the resulting eksctl ClusterConfig with all rules, including the eksctl schema check.
/// </summary>
[MemoryDiagnoser]
public class EksBenchmarks
{
    private static readonly string[] Specs = ["8c64g", "16c64g", "8c32g", "4c16g", "16c128g"];

    private Blueprint _blueprint = null!;
    private string _blueprintYaml = string.Empty;
    private List<JsonNode?> _config = null!;

    [Params(400)]
    public int Pools { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Prefix delegation, one node per pool in each zone: more pools, or larger ones, need more addresses than
        // three /16 subnets hold, and the planner (rightly) refuses such a blueprint.
        var yaml = new System.Text.StringBuilder("apiVersion: dorisctl.io/v1alpha1\nkind: EksBlueprint\nname: bench\nregion: us-east-1\nprefixDelegation: true\n");
        yaml.Append("kmsKeyArn: arn:aws:kms:us-east-1:111122223333:key/abc\nvpc:\n  subnets:\n");
        yaml.Append("  - {zone: us-east-1a, id: s-a, cidr: 10.0.0.0/16}\n  - {zone: us-east-1b, id: s-b, cidr: 10.1.0.0/16}\n  - {zone: us-east-1c, id: s-c, cidr: 10.2.0.0/16}\npools:\n");
        for (var i = 0; i < Pools; i++)
        {
            yaml.Append($"- {{team: team{i}, spec: {Specs[i % Specs.Length]}, lifecycle: {(i % 2 == 0 ? "spot" : "on-demand")}, role: {(i % 2 == 0 ? "cn" : "general")}, maxSize: 1}}\n");
        }

        _blueprintYaml = yaml.ToString();
        var (blueprint, issues) = BlueprintReader.Read(YamlReader.Read(_blueprintYaml, "bench").Single(), InstanceCatalog.Default);
        _blueprint = blueprint ?? throw new InvalidOperationException("the benchmark blueprint is refused: " + string.Join("; ", issues));
        var plan = EksPlanner.Plan(_blueprint, InstanceCatalog.Default);
        _config = [.. YamlReader.Read(plan.Artefacts.Single(a => a.Path == "eksctl-cluster.yaml").Content, "eksctl").Select(d => d.Root)];
    }

    /// <summary>Read and validate the blueprint (YAML, schema, rules including Spot choice per pool).</summary>
    [Benchmark]
    public int ReadBlueprint() => BlueprintReader.Read(YamlReader.Read(_blueprintYaml, "bench").Single(), InstanceCatalog.Default).Issues.Count;

    /// <summary>Plan every artefact for every pool.</summary>
    [Benchmark]
    public int PlanPools() => EksPlanner.Plan(_blueprint, InstanceCatalog.Default).Artefacts.Sum(a => a.Content.Length);

    /// <summary>Lint the planned ClusterConfig with every rule and the eksctl schema.</summary>
    [Benchmark]
    public int LintGroups() => EksLinter.Lint(LintInput.From(_config), InstanceCatalog.Default).Count;
}
