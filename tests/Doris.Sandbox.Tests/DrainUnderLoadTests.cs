namespace Doris.Sandbox.Tests;

/// <summary>
/// A Spot drain does not wait behind a burst of new clusters: counted in reconciles, not timed (bench/DRAIN-UNDER-LOAD.md
/// has the times, with and without the lane, side by side).
/// </summary>
public sealed class DrainUnderLoadTests
{
    [Fact]
    public async Task SpotNotice_HundredClustersJustCreated_DrainStartsBeforeTheBacklog()
    {
        var outcome = await DrainUnderLoad.RunAsync(priorityLane: true, clusters: 100);

        // Four workers may be busy when the signal comes, and each may take one more key before the urgent one is
        // next; beyond that the drain must not wait for the clusters queued ahead of it.
        outcome.ReconcilesBetween.ShouldBeLessThanOrEqualTo(12, $"{outcome.QueuedAtSignal} keys were queued at the signal");
    }
}
