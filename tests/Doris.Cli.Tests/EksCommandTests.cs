using System.Text.Json.Nodes;
using Doris.Testing;

namespace Doris.Cli.Tests;

public sealed class EksCommandTests
{
    private static string Example(string name) => Path.Combine(SharedFiles.RepositoryRoot, "examples", "eks", name);

    [Fact]
    public void Plan_WritesOneFilePerArtefactAndPrintsTheSummary()
    {
        var dir = Directory.CreateTempSubdirectory("dorisctl-plan-").FullName;

        var run = CliRun.Of("eks", "plan", "-f", Example("kmax-spot.yaml"), "-o", dir);

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        run.Out.ShouldContain("dsp-8c64g-spot");
        run.Out.ShouldContain("NEEDED AT MAX");
        foreach (var file in new[] { "eksctl-cluster.yaml", "cluster-autoscaler-priority-expander.yaml", "cluster-autoscaler-flags.txt", "storageclass-gp3-encrypted.yaml", "aws-node-env.yaml", "node-termination-handler-values.yaml", "doris-placement.yaml", "terraform.tfvars.json", "userdata/dsp-8c64g-spot.mime" })
        {
            File.Exists(Path.Combine(dir, file)).ShouldBeTrue(file);
        }

        JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "terraform.tfvars.json")))!["self_managed_node_groups"]!["dsp-8c64g-spot"].ShouldNotBeNull();
    }

    [Fact]
    public void Plan_FormatKarpenter_WritesNodePoolsAndNoAutoscalerFiles()
    {
        var dir = Directory.CreateTempSubdirectory("dorisctl-plan-").FullName;

        var run = CliRun.Of("eks", "plan", "-f", Example("karpenter.yaml"), "-o", dir, "--format", "karpenter");

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        File.ReadAllText(Path.Combine(dir, "karpenter.yaml")).ShouldContain("kind: NodePool");
        File.Exists(Path.Combine(dir, "cluster-autoscaler-flags.txt")).ShouldBeFalse();
        File.Exists(Path.Combine(dir, "eksctl-cluster.yaml")).ShouldBeFalse();
    }

    [Fact]
    public void Plan_BadBlueprint_ExitsOneWithFieldAndLineAndWritesNothing()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dorisctl-never-" + Guid.NewGuid().ToString("N"));
        var blueprint = File.ReadAllText(Example("kmax-spot.yaml")).Replace("maxSize: 9", "maxSize: 2", StringComparison.Ordinal);

        var run = CliRun.WithInput(blueprint, "eks", "plan", "-f", "-", "-o", dir);

        run.ExitCode.ShouldBe(ExitCodes.Invalid);
        run.Error.ShouldContain("error: pools[1].minSize: 3 is more than maxSize 2");
        run.Error.ShouldContain("-:");
        Directory.Exists(dir).ShouldBeFalse();
        run.HasStackTrace.ShouldBeFalse();
    }

    [Fact]
    public void Plan_InstanceDataFile_IsUsedInsteadOfTheBuiltinTable()
    {
        var csv = Path.Combine(Directory.CreateTempSubdirectory("dorisctl-types-").FullName, "types.csv");
        File.WriteAllText(csv, "instance_type,vcpu,memory_mib,max_enis_default_card,ipv4_per_eni,hypervisor,bare_metal\nx9.big,8,65536,4,15,nitro,false\nx8.big,8,65536,4,15,nitro,false\nx7.big,8,65536,4,15,nitro,false\nw9.big,8,32768,4,15,nitro,false\nz9.big,16,131072,8,30,nitro,false\n");
        const string Blueprint = "apiVersion: dorisctl.io/v1alpha1\nkind: EksBlueprint\nname: t\nregion: us-east-1\nvpc:\n  subnets: [{zone: us-east-1a, id: s-a, cidr: 10.0.0.0/20}]\npools: [{team: t, spec: 8c64g, lifecycle: spot, role: cn, maxSize: 4}]\n";

        var run = CliRun.WithInput(Blueprint, "eks", "plan", "-f", "-", "--instance-data", csv);

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        run.Out.ShouldContain("x9.big");
    }

    [Fact]
    public void Lint_Blueprint_IsLintedAsWhatItPlans()
    {
        var run = CliRun.Of("eks", "lint", "-f", Example("bottlerocket-prefix.yaml"));

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Out + run.Error);
        run.Out.ShouldContain("0 error(s), 0 warning(s)");
    }

    [Fact]
    public void Lint_BadConfig_ExitsOneWithRulePathReasonAndFixAsJson()
    {
        var run = CliRun.Of("eks", "lint", "-f", Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Eks.Tests", "Lint", "EKS006-multi-zone-fe.yaml"), "--output", "json");

        run.ExitCode.ShouldBe(ExitCodes.Invalid);
        var finding = JsonNode.Parse(run.Out)!.AsArray().Single()!;
        ((string?)finding["rule"]).ShouldBe("EKS006");
        ((string?)finding["path"]).ShouldBe("nodeGroups[1].availabilityZones");
        ((string?)finding["fix"]).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void Lint_NotYaml_ExitsThree()
    {
        var run = CliRun.WithInput("nodeGroups: [unclosed\n", "eks", "lint", "-f", "-");

        run.ExitCode.ShouldBe(ExitCodes.Unreadable);
        run.HasStackTrace.ShouldBeFalse();
    }

    [Fact]
    public void Lint_NoClusterConfig_SaysWhatItNeeds()
    {
        var run = CliRun.WithInput("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "eks", "lint", "-f", "-");

        run.ExitCode.ShouldBe(ExitCodes.Invalid);
        run.Error.ShouldContain("no eksctl ClusterConfig");
    }

    [Fact]
    public void Schema_IsAJsonSchemaWithEveryBlueprintField()
    {
        var run = CliRun.Of("eks", "schema");

        run.ExitCode.ShouldBe(ExitCodes.Success);
        var schema = JsonNode.Parse(run.Out)!;
        schema["properties"]!["pools"]!["items"]!["properties"]!["lifecycle"]!["enum"]!.AsArray().Select(v => (string?)v).ShouldBe(["spot", "on-demand"]);
    }
}
