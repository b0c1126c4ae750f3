using Doris.Simulation.Cluster;
using Doris.Simulation.Time;

namespace Doris.Sandbox.Tests;

/// <summary>Random Spot interruptions on simulated time: the invariants hold after every step and CNs leave before the kill.</summary>
public sealed class SpotChaosTests
{
    internal static async Task<SpotScenario.Result> RunAsync(SpotScenario.Options options)
    {
        var clock = new SimulatedClock();
        await using var env = await SandboxEnvironment.StartAsync(new SandboxOptions { Time = clock, Tls = false, Nodes = NodeShape.DefaultFleet() }, default);
        env.StartOperator();
        return await SpotScenario.RunAsync(env, new SimulatedDriver(env, clock) { SkipQuietSteps = true }, options, _ => { }, default);
    }

    [Fact]
    public async Task Chaos_OperatorPausedAfterReady_CnsOnInterruptedNodesCountAsMissed()
    {
        var result = await RunAsync(new SpotScenario.Options { Interruptions = 6, Span = TimeSpan.FromMinutes(30), TargetCnShare = 1, RebalanceShare = 0, PauseOperator = true });

        result.CnPodsHit.ShouldBeGreaterThan(0);
        result.Missed.ShouldBe(result.CnPodsHit, "with no operator acting, every CN on an interrupted node is still there at the kill");
        result.Drains.ShouldBeEmpty();
    }

    // On the fleet examples/eks/kmax-spot.yaml plans: its Spot pools are interrupted and short of capacity by seed,
    // and its simulated cluster-autoscaler replaces the reclaimed nodes.
    [Fact]
    public async Task Chaos_TwoHundredInterruptionsOverADayOnThePlannedFleet_InvariantsHoldAndEveryDrainBeatsTheNotice()
    {
        var (result, _, autoscaler) = await FleetSpotTests.RunAsync(new SpotScenario.Options());

        result.Violation.ShouldBeNull();
        result.Completed.ShouldBeTrue();
        result.Interruptions.ShouldBe(200);
        result.Simulated.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromHours(23));
        result.CnPodsHit.ShouldBeGreaterThan(50, "the run must actually interrupt nodes that run CNs");
        result.SpotDrains.Count.ShouldBeGreaterThan(0);
        result.Missed.ShouldBe(0, result.Summary());
        result.WithinNotice.ShouldBe(result.SpotDrains.Count, result.Summary());
        result.Worst.ShouldBeLessThan(TimeSpan.FromMinutes(2));
        autoscaler.Launches["dsp-8c64g-spot"].ShouldBeGreaterThan(50, "the planned Spot group's autoscaler replaced the reclaimed nodes");
        autoscaler.Shortages.GetValueOrDefault("dsp-8c64g-spot").ShouldBeGreaterThan(0, "some launches met a capacity shortage");
        Console.WriteLine(result.Summary());
    }
}
