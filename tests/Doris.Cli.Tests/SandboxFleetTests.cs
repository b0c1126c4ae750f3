using Doris.Testing;

namespace Doris.Cli.Tests;

/// <summary>
/// The journey from a blueprint to a running simulated cluster: the sandbox starts from the node groups the
/// blueprint plans and its simulated cluster-autoscaler or Karpenter grows them as the DorisCluster's pods need.
/// </summary>
public sealed class SandboxFleetTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sandbox-fleet-").FullName;

    private static string Blueprint(string name) => Path.Combine(SharedFiles.RepositoryRoot, "examples", "eks", name);

    [Fact]
    public void Fleet_KmaxSpotBlueprintWithItsPlacement_ProductionExampleReadyWithSpotGroupScaledFromZero()
    {
        var plan = CliRun.Of("eks", "plan", "-f", Blueprint("kmax-spot.yaml"), "-o", Path.Combine(_dir, "out"));
        plan.ExitCode.ShouldBe(ExitCodes.Success, plan.Error);

        var run = CliRun.Of("sandbox", "--example", "production", "--fleet", Blueprint("kmax-spot.yaml"), "--placement", Path.Combine(_dir, "out", "doris-placement.yaml"),
            "--until-ready", "--timeout", "3m", "--kubeconfig-out", Path.Combine(_dir, "kc"), "-o", "json");

        // With -o json the tables people read go to stderr and stdout is one JSON document.
        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error + run.Out);
        run.Error.ShouldContain("the planned fleet: 9 node group(s) starting with 6 node(s), cluster-autoscaler adds the rest");
        var spot = run.Error.Split('\n').Single(l => l.StartsWith("dsp-8c64g-spot ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        spot[1].ShouldBe("0", "the Spot group's planned minimum");
        int.Parse(spot[6], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0, "cluster-autoscaler launched Spot nodes for the CNs");
        run.Error.ShouldContain("cn:2");

        // What-if: the CN autoscaler's maxReplicas (12) against what the Spot group holds at its maximum.
        run.Error.ShouldContain("CN autoscaler maxReplicas 12: dsp-8c64g-spot holds 1 per r7a.2xlarge, 30 at its maximum; 30 in all: fits");

        // The planned placement puts each FE on the FE groups and each BE on the BE groups.
        foreach (var zone in new[] { "use1a", "use1b", "use1c" })
        {
            run.Error.Split('\n').Single(l => l.StartsWith($"dsp-8c32g-ondemand-{zone} ", StringComparison.Ordinal)).ShouldEndWith("fe:1");
            run.Error.Split('\n').Single(l => l.StartsWith($"dsp-16c128g-ondemand-{zone} ", StringComparison.Ordinal)).ShouldEndWith("be:1");
        }

        var doc = System.Text.Json.Nodes.JsonNode.Parse(run.Out)!;
        ((bool)doc["ready"]!).ShouldBeTrue();
        doc["pods"]!.AsArray().Count.ShouldBe(8);
        doc["pods"]!.AsArray().Where(p => (string?)p!["component"] == "cn").ShouldAllBe(p => (string?)p!["nodeGroup"] == "dsp-8c64g-spot" && (string?)p["capacityType"] == "SPOT");
        var fleet = doc["fleet"]!;
        ((string?)fleet["autoscaler"]).ShouldBe("cluster-autoscaler");
        var spotGroup = fleet["groups"]!.AsArray().Single(g => (string?)g!["name"] == "dsp-8c64g-spot")!;
        ((int)spotGroup["min"]!).ShouldBe(0);
        ((int)spotGroup["launched"]!).ShouldBeGreaterThanOrEqualTo(2);
        ((int)spotGroup["pods"]!["cn"]!).ShouldBe(2);
        ((bool)fleet["cn"]!["fits"]!).ShouldBeTrue();

        // Addresses per zone against eks plan's own subnet table: the same usable and planned figures, and the
        // nodes' addresses now within them.
        var zones = fleet["zones"]!.AsArray();
        zones.Count.ShouldBe(3);
        var planText = plan.Out;
        foreach (var z in zones.Select(z => z!))
        {
            var row = planText.Split('\n').Single(l => l.Contains((string)z["subnets"]![0]!, StringComparison.Ordinal) && l.Contains((string)z["zone"]!, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            row.ShouldContain(((long)z["usableIps"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
            row.ShouldContain(((long)z["plannedAtMaximum"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
            ((long)z["inUse"]!).ShouldBeGreaterThan(0);
            ((bool)z["withinPlan"]!).ShouldBeTrue();
        }

        fleet["unplaceable"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public void Placement_NotASnippet_RefusedNamingTheFile()
    {
        var file = Path.Combine(_dir, "not-placement.yaml");
        File.WriteAllText(file, "storageClassName: gp3\nspec: {}\n");

        var run = CliRun.Of("sandbox", "--example", "minimal", "--placement", file, "--until-ready", "--kubeconfig-out", Path.Combine(_dir, "kc-bad"));

        run.ExitCode.ShouldBe(ExitCodes.Invalid);
        run.Error.ShouldContain("--placement " + file);
    }

    [Fact]
    public void Fleet_KarpenterBlueprint_ProductionExampleReadyThroughKarpenter()
    {
        var run = CliRun.Of("sandbox", "--example", "production", "--fleet", Blueprint("karpenter.yaml"), "--until-ready", "--timeout", "3m", "--kubeconfig-out", Path.Combine(_dir, "kc-k"));

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error + run.Out);
        run.Out.ShouldContain("starting with 0 node(s), Karpenter adds the rest");
        run.Out.ShouldContain("SPOT");
    }

    // A BE no planned group can hold: not Ready, and the reason names each group with what it offers.
    [Fact]
    public void Fleet_BeLargerThanAnyGroup_NotReadyNamingTheGroupSizes()
    {
        var file = Path.Combine(_dir, "huge-be.yaml");
        File.WriteAllText(file, File.ReadAllText(Path.Combine(SharedFiles.RepositoryRoot, "examples", "production.yaml"))
            .Replace("requests: {cpu: \"8\", memory: 32Gi}", "requests: {cpu: \"40\", memory: 32Gi}", StringComparison.Ordinal)
            .Replace("limits: {cpu: \"16\", memory: 64Gi}", "limits: {cpu: \"40\", memory: 64Gi}", StringComparison.Ordinal));

        var run = CliRun.Of("sandbox", "-f", file, "--fleet", Blueprint("kmax-spot.yaml"), "--until-ready", "--timeout", "00:00:30", "--kubeconfig-out", Path.Combine(_dir, "kc-huge"), "-o", "json");

        run.ExitCode.ShouldBe(ExitCodes.NotReady, run.Out);
        run.Error.ShouldContain("pods no node group could take");
        var stuck = System.Text.Json.Nodes.JsonNode.Parse(run.Out)!;
        ((bool)stuck["ready"]!).ShouldBeFalse();
        var be0 = stuck["fleet"]!["unplaceable"]!.AsArray().Single(u => (string?)u!["pod"] == "doris/doris-prod-be-0")!;
        be0["reasons"]!.AsArray().Select(r => (string)r!).ShouldContain(r => r.StartsWith("dsp-16c128g-ondemand-use1a (r7a.4xlarge: 15.", StringComparison.Ordinal) && r.Contains("Insufficient cpu", StringComparison.Ordinal));
        run.Error.ShouldContain("doris-prod-be-0: ");
        run.Error.ShouldContain("dsp-16c128g-ondemand-use1a (r7a.4xlarge: 15.");
        run.Error.ShouldContain("Insufficient cpu");
    }

    [Fact]
    public void JsonOutput_WithAScenario_RefusedNamingBoth()
    {
        var run = CliRun.Of("sandbox", "--scenario", "spot", "-o", "json", "--until-done", "--kubeconfig-out", Path.Combine(_dir, "kc-json"));

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain("-o json: --scenario spot reports as text");
        run.Out.ShouldBeEmpty();
    }
}
