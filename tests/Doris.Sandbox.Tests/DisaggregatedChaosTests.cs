namespace Doris.Sandbox.Tests;

/// <summary>
/// The Spot chaos day on a DorisDisaggregatedCluster (its own class, so it runs beside the DorisCluster chaos run
/// rather than after it).
/// </summary>
public sealed class DisaggregatedChaosTests
{
    // The storage-compute cluster: its Spot compute group's members are drained like CNs (decommissioned, dropped
    // once Doris reports them drained, then their pods deleted), each inside the two-minute notice.
    [Fact]
    public async Task Chaos_TwoHundredInterruptionsOnTheSpotComputeGroup_EveryDrainBeatsTheNotice()
    {
        var result = await SpotChaosTests.RunAsync(new SpotScenario.Options { Disaggregated = true });

        result.Violation.ShouldBeNull();
        result.Completed.ShouldBeTrue();
        result.Interruptions.ShouldBe(200);
        result.CnPodsHit.ShouldBeGreaterThan(50, "the run must actually interrupt nodes that run compute-group members");
        result.SpotDrains.Count.ShouldBeGreaterThan(50);
        result.SpotDrains.ShouldAllBe(d => d.Cluster == "ddc:default/spot");
        result.Missed.ShouldBe(0, result.Summary());
        result.WithinNotice.ShouldBe(result.SpotDrains.Count, result.Summary());
        result.Worst.ShouldBeLessThan(TimeSpan.FromMinutes(2));
        Console.WriteLine(result.Summary());
    }
}
