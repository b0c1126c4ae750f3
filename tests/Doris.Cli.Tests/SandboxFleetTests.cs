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
            "--until-ready", "--timeout", "00:03:00", "--kubeconfig-out", Path.Combine(_dir, "kc"));

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error + run.Out);
        run.Out.ShouldContain("the planned fleet: 9 node group(s) starting with 6 node(s), cluster-autoscaler adds the rest");
        var spot = run.Out.Split('\n').Single(l => l.StartsWith("dsp-8c64g-spot ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        spot[1].ShouldBe("0", "the Spot group's planned minimum");
        int.Parse(spot[5], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0, "cluster-autoscaler launched Spot nodes for the CNs");
        run.Out.ShouldContain("cn:2");

        // What-if: the CN autoscaler's maxReplicas (12) against what the Spot group holds at its maximum.
        run.Out.ShouldContain("CN autoscaler maxReplicas 12: dsp-8c64g-spot holds 1 per r7a.2xlarge, 30 at its maximum; 30 in all: fits");

        // The planned placement puts each FE on the FE groups and each BE on the BE groups.
        foreach (var zone in new[] { "use1a", "use1b", "use1c" })
        {
            run.Out.Split('\n').Single(l => l.StartsWith($"dsp-8c32g-ondemand-{zone} ", StringComparison.Ordinal)).ShouldEndWith("fe:1");
            run.Out.Split('\n').Single(l => l.StartsWith($"dsp-16c128g-ondemand-{zone} ", StringComparison.Ordinal)).ShouldEndWith("be:1");
        }
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
        var run = CliRun.Of("sandbox", "--example", "production", "--fleet", Blueprint("karpenter.yaml"), "--until-ready", "--timeout", "00:03:00", "--kubeconfig-out", Path.Combine(_dir, "kc-k"));

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

        var run = CliRun.Of("sandbox", "-f", file, "--fleet", Blueprint("kmax-spot.yaml"), "--until-ready", "--timeout", "00:00:30", "--kubeconfig-out", Path.Combine(_dir, "kc-huge"));

        run.ExitCode.ShouldBe(ExitCodes.NotReady, run.Out);
        run.Error.ShouldContain("pods no node group could take");
        run.Error.ShouldContain("doris-prod-be-0: ");
        run.Error.ShouldContain("dsp-16c128g-ondemand-use1a (r7a.4xlarge: 15.");
        run.Error.ShouldContain("Insufficient cpu");
    }
}
