using Doris.Operator.Runtime;
using Doris.Testing;

namespace Doris.Operator.Tests;

/// <summary>The urgent lane: a drain passes every ordinary key already queued and every rate limit.</summary>
public sealed class WorkQueueUrgentTests
{
    private static Task<string?> Next(WorkQueue<string> queue, int ms = 2000) => WorkQueueTests.Next(queue, ms);

    private static async Task<List<string>> DrainAll(WorkQueue<string> queue)
    {
        var order = new List<string>();
        while (await Next(queue, 100) is { } key)
        {
            order.Add(key);
            queue.Done(key);
        }

        return order;
    }

    [Fact]
    public async Task AddUrgent_BehindTwoHundredQueuedClusters_HandedOutFirst()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        for (var i = 0; i < 200; i++)
        {
            queue.Add($"ns/c{i}");
        }

        queue.AddUrgent("ns/draining");

        (await Next(queue)).ShouldBe("ns/draining");
        queue.Count.ShouldBe(200);
    }

    [Fact]
    public async Task AddUrgent_SeveralKeys_FirstComeFirstServedAheadOfOrdinaryWork()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        queue.Add("a");
        queue.Add("b");
        queue.AddUrgent("u1");
        queue.Add("c");
        queue.AddUrgent("u2");

        (await DrainAll(queue)).ShouldBe(["u1", "u2", "a", "b", "c"]);
    }

    [Fact]
    public async Task AddUrgent_KeyAlreadyQueued_MovesUpOnceAndIsHandedOutOnce()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        queue.Add("a");
        queue.Add("b");
        queue.Add("c");
        queue.AddUrgent("c");
        queue.AddUrgent("c");

        queue.Depth().ShouldBe(new Dictionary<string, int> { [WorkQueue<string>.Event] = 2, [WorkQueue<string>.Urgent] = 1 });
        (await DrainAll(queue)).ShouldBe(["c", "a", "b"]);
    }

    [Fact]
    public async Task AddUrgent_KeyOverItsRateLimit_NotHeldBack()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        using var queue = new WorkQueue<string>(time, new WorkQueueOptions { PerKeyQps = 0.001, PerKeyBurst = 1, OverallQps = 0.001, OverallBurst = 1 });
        queue.Add("a");
        queue.Done((await Next(queue))!);

        queue.Add("a");
        queue.Waiting().Keys.ShouldContain(WorkQueue<string>.Throttled, "an ordinary add over the limit waits on a timer");
        queue.AddUrgent("a");

        (await Next(queue)).ShouldBe("a", "a drain is never throttled");
    }

    [Fact]
    public async Task AddUrgent_WhileProcessing_QueuedUrgentlyWhenDone()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        queue.Add("busy");
        var busy = (await Next(queue))!;
        queue.Add("x");
        queue.Add("y");
        queue.AddUrgent("busy");

        queue.Done(busy);

        (await DrainAll(queue)).ShouldBe(["busy", "x", "y"]);
    }

    [Fact]
    public async Task AddAfter_UrgentReason_EntersTheLaneWhenDue()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        queue.AddAfter("drain", TimeSpan.FromMilliseconds(50), WorkQueue<string>.Urgent);
        for (var i = 0; i < 50; i++)
        {
            queue.Add($"c{i}");
        }

        // Wait for the timer to hand it over (on a loaded machine that can take longer than any fixed pause).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (queue.Count < 51 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        queue.Count.ShouldBe(51, "the delayed key is queued once due");
        (await Next(queue)).ShouldBe("drain");
    }
}
