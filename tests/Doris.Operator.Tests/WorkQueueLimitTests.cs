using Doris.Operator.Runtime;
using Doris.Simulation.Time;

namespace Doris.Operator.Tests;

/// <summary>The queue keeps the reconcile rate bounded: one timer per key, merged events, per-key and overall limits.</summary>
public sealed class WorkQueueLimitTests
{
    private static string? TryTake(WorkQueue<string> queue)
    {
        var next = queue.GetAsync(new CancellationTokenSource(TimeSpan.FromMilliseconds(100)).Token);
        try
        {
            return next.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public void AddAfter_ManyTimesForOneKey_KeepsOneTimerWithTheEarliestDue()
    {
        var clock = new SimulatedClock();
        using var queue = new WorkQueue<string>(clock);

        for (var i = 0; i < 250; i++)
        {
            queue.AddAfter("a", TimeSpan.FromSeconds(5));
        }

        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        queue.AddAfter("a", TimeSpan.FromSeconds(9));

        queue.Timers.ShouldBe(1, "requeues of one key never pile up");
        clock.Advance(TimeSpan.FromSeconds(2));
        TryTake(queue).ShouldBe("a");
        queue.Done("a");
        clock.Advance(TimeSpan.FromSeconds(60));
        TryTake(queue).ShouldBeNull("the later requeues were merged into the earlier one");
        queue.Timers.ShouldBe(0);
    }

    [Fact]
    public void Add_ManyEventsWhileQueued_AreMergedIntoOneTurn()
    {
        using var queue = new WorkQueue<string>(new SimulatedClock());

        for (var i = 0; i < 250; i++)
        {
            queue.Add("a");
        }

        queue.Count.ShouldBe(1);
        queue.Depth().ShouldBe(new Dictionary<string, int> { ["event"] = 1 });
    }

    [Fact]
    public void Add_OverThePerKeyBurst_WaitsForItsTurnInsteadOfBeingLost()
    {
        var clock = new SimulatedClock();
        using var queue = new WorkQueue<string>(clock, new WorkQueueOptions { PerKeyQps = 1, PerKeyBurst = 3 });

        for (var i = 0; i < 3; i++)
        {
            queue.Add("hot");
            TryTake(queue).ShouldBe("hot");
            queue.Done("hot");
        }

        queue.Add("hot");
        queue.Add("cold");

        TryTake(queue).ShouldBe("cold", "another key is not held up by a hot one");
        queue.Done("cold");
        TryTake(queue).ShouldBeNull("the hot key spent its burst");
        queue.Waiting().ShouldBe(new Dictionary<string, int> { ["throttled"] = 1 });
        clock.Advance(TimeSpan.FromSeconds(1));
        TryTake(queue).ShouldBe("hot", "throttled, not dropped");
    }

    [Fact]
    public void Add_OverTheOverallBurst_SpreadsKeysOverTime()
    {
        var clock = new SimulatedClock();
        using var queue = new WorkQueue<string>(clock, new WorkQueueOptions { OverallQps = 10, OverallBurst = 5 });

        for (var i = 0; i < 8; i++)
        {
            queue.Add($"k{i}");
        }

        queue.Count.ShouldBe(5);
        queue.Timers.ShouldBe(3);
        clock.Advance(TimeSpan.FromMilliseconds(300));
        queue.Count.ShouldBe(8);
    }

    [Fact]
    public void Depth_SaysWhyKeysAreQueued()
    {
        var clock = new SimulatedClock();
        using var queue = new WorkQueue<string>(clock);

        queue.Add("a");
        queue.Add("b", WorkQueue<string>.Resync);
        queue.AddAfter("c", TimeSpan.FromSeconds(1));
        queue.AddRateLimited("d");

        queue.Depth().ShouldBe(new Dictionary<string, int> { ["event"] = 1, ["resync"] = 1 }, ignoreOrder: true);
        queue.Waiting().ShouldBe(new Dictionary<string, int> { ["requeue"] = 1, ["retry"] = 1 }, ignoreOrder: true);
        clock.Advance(TimeSpan.FromSeconds(1));
        queue.Depth().ShouldBe(new Dictionary<string, int> { ["event"] = 1, ["resync"] = 1, ["requeue"] = 1, ["retry"] = 1 }, ignoreOrder: true);
    }
}
