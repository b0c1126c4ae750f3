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

    [Fact]
    public async Task Chaos_TwoHundredInterruptionsOverADay_InvariantsHoldAndEveryDrainBeatsTheNotice()
    {
        var result = await RunAsync(new SpotScenario.Options());

        result.Violation.ShouldBeNull();
        result.Completed.ShouldBeTrue();
        result.Interruptions.ShouldBe(200);
        result.Simulated.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromHours(23));
        result.CnPodsHit.ShouldBeGreaterThan(50, "the run must actually interrupt nodes that run CNs");
        result.SpotDrains.Count.ShouldBeGreaterThan(0);
        result.Missed.ShouldBe(0, result.Summary());
        result.WithinNotice.ShouldBe(result.SpotDrains.Count, result.Summary());
        result.Worst.ShouldBeLessThan(TimeSpan.FromMinutes(2));
        Console.WriteLine(result.Summary());
    }
}
