using Doris.Operator.Runtime;
using Doris.Testing;

namespace Doris.Operator.Tests;

public sealed class WorkQueueTests
{
    /// <summary>The next key, or null when none comes within the wait.</summary>
    internal static async Task<string?> Next(WorkQueue<string> queue, int ms = 2000)
    {
        using var cts = new CancellationTokenSource(ms);
        try
        {
            return await queue.GetAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task Add_SameKeyTwice_IsHandedOutOnce()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        queue.Add("a");
        queue.Add("a");

        (await Next(queue)).ShouldBe("a");
        (await Next(queue, 200)).ShouldBeNull();
    }

    [Fact]
    public async Task Add_WhileProcessing_WaitsUntilDoneSoOneWorkerPerKey()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        queue.Add("a");
        var first = await Next(queue);

        queue.Add("a");
        (await Next(queue, 200)).ShouldBeNull("a second worker must not get a key that is being processed");
        queue.Done(first!);

        (await Next(queue)).ShouldBe("a", "the change that arrived meanwhile is not lost");
    }

    [Fact]
    public void AddRateLimited_BacksOffExponentiallyPerKeyUntilForgotten()
    {
        using var queue = new WorkQueue<string>(new ManualTimeProvider(DateTimeOffset.UnixEpoch), new WorkQueueOptions { BaseBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromSeconds(1), Burst = 1000 });

        var delays = Enumerable.Range(0, 6).Select(_ => queue.AddRateLimited("a")).ToList();
        queue.Forget("a");

        delays.ShouldBe(new[] { 100, 200, 400, 800, 1000, 1000 }.Select(ms => TimeSpan.FromMilliseconds(ms)).ToList());
        queue.AddRateLimited("a").ShouldBe(TimeSpan.FromMilliseconds(100));
        queue.AddRateLimited("b").ShouldBe(TimeSpan.FromMilliseconds(100), "back-off is per key");
    }

    [Fact]
    public void AddRateLimited_ManyKeys_AreHeldToTheOverallRate()
    {
        using var queue = new WorkQueue<string>(new ManualTimeProvider(DateTimeOffset.UnixEpoch), new WorkQueueOptions { BaseBackoff = TimeSpan.FromMilliseconds(1), Qps = 10, Burst = 2 });

        var delays = Enumerable.Range(0, 5).Select(i => queue.AddRateLimited($"k{i}")).ToList();

        delays.Take(2).ShouldAllBe(d => d == TimeSpan.FromMilliseconds(1), "within the burst, only the per-key back-off applies");
        delays[2].ShouldBe(TimeSpan.FromMilliseconds(100));
        delays[4].ShouldBe(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task AddAfter_DeliversTheKeyLater()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);

        queue.AddAfter("later", TimeSpan.FromMilliseconds(100));

        (await Next(queue, 50)).ShouldBeNull();
        (await Next(queue)).ShouldBe("later");
    }

    [Fact]
    public async Task ShutDown_ReleasesWaitingWorkers()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        var waiting = queue.GetAsync(CancellationToken.None);

        queue.ShutDown();

        (await waiting.WaitAsync(TimeSpan.FromSeconds(2))).ShouldBeNull();
    }
}
