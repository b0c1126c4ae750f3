using System.Collections.Concurrent;
using Doris.Operator.Runtime;

namespace Doris.Operator.Tests;

public sealed class ControllerTests
{
    private sealed class RecordingReconciler(int failuresBeforeSuccess) : IReconciler<string>
    {
        private readonly ConcurrentDictionary<string, int> _active = new();
        private readonly ConcurrentDictionary<string, int> _calls = new();

        public int MaxConcurrentPerKey { get; private set; }

        public int Calls(string key) => _calls.GetValueOrDefault(key);

        public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
        {
            var active = _active.AddOrUpdate(key, 1, (_, n) => n + 1);
            MaxConcurrentPerKey = Math.Max(MaxConcurrentPerKey, active);
            try
            {
                await Task.Delay(5, cancellationToken);
                if (_calls.AddOrUpdate(key, 1, (_, n) => n + 1) <= failuresBeforeSuccess)
                {
                    throw new InvalidOperationException("transient");
                }

                return ReconcileResult.Done;
            }
            finally
            {
                _active.AddOrUpdate(key, 0, (_, n) => n - 1);
            }
        }
    }

    [Fact]
    public async Task Run_ManyWorkersManyEvents_NeverReconcileOneKeyTwiceAtOnce()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        var reconciler = new RecordingReconciler(0);
        var controller = new Controller<string>(queue, reconciler, workers: 8);
        using var cts = new CancellationTokenSource();
        var run = controller.RunAsync(cts.Token);

        for (var round = 0; round < 50; round++)
        {
            foreach (var key in new[] { "a", "b", "c" })
            {
                queue.Add(key);
            }

            await Task.Delay(1);
        }

        await Task.Delay(300);
        await cts.CancelAsync();
        await run;
        reconciler.MaxConcurrentPerKey.ShouldBe(1);
        controller.Reconciles.ShouldBeGreaterThan(3);
    }

    [Fact]
    public async Task Run_FailingReconcile_IsRetriedWithBackoffUntilItSucceeds()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System, new WorkQueueOptions { BaseBackoff = TimeSpan.FromMilliseconds(10) });
        var reconciler = new RecordingReconciler(3);
        var controller = new Controller<string>(queue, reconciler, workers: 2);
        var failures = new ConcurrentBag<string>();
        controller.Failed += (key, e) => failures.Add($"{key}: {e.Message}");
        using var cts = new CancellationTokenSource();
        var run = controller.RunAsync(cts.Token);

        queue.Add("x");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (reconciler.Calls("x") < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await cts.CancelAsync();
        await run;
        reconciler.Calls("x").ShouldBe(4);
        controller.Errors.ShouldBe(3);
        failures.Count.ShouldBe(3);
        queue.Failures("x").ShouldBe(0, "success resets the back-off");
    }

    private sealed class RequeueingReconciler : IReconciler<string>
    {
        private long _calls;

        public long Calls => Interlocked.Read(ref _calls);

        public Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(ReconcileResult.After(TimeSpan.FromSeconds(5)));
        }
    }

    [Fact]
    public async Task Run_ABurstOfEventsOnAKeyThatRequeues_LeavesTheRateWhereItWas()
    {
        var clock = new Doris.Simulation.Time.SimulatedClock();

        // Rate limits off: this is about requeues never piling up, not about the limits that would also cap them.
        using var queue = new WorkQueue<string>(clock, new WorkQueueOptions { PerKeyQps = 1e6, PerKeyBurst = 1_000_000, OverallQps = 1e6, OverallBurst = 1_000_000 });
        var reconciler = new RequeueingReconciler();
        var controller = new Controller<string>(queue, reconciler, workers: 2);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);
        async Task Settle()
        {
            for (var i = 0; i < 200 && (queue.Count > 0 || controller.InFlight > 0); i++)
            {
                await Task.Delay(1);
            }

            await Task.Delay(1);
        }

        async Task<long> CallsOver(TimeSpan span)
        {
            var before = reconciler.Calls;
            for (var t = TimeSpan.Zero; t < span; t += TimeSpan.FromMilliseconds(100))
            {
                clock.Advance(TimeSpan.FromMilliseconds(100));
                await Settle();
            }

            return reconciler.Calls - before;
        }

        queue.Add("k");
        await Settle();
        var steady = await CallsOver(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 250; i++)
        {
            queue.Add("k"); // each event reconciles, and each reconcile asks to look again in 5 s
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Settle();
        }

        await CallsOver(TimeSpan.FromSeconds(30));
        var after = await CallsOver(TimeSpan.FromSeconds(30));

        steady.ShouldBe(6);
        after.ShouldBe(6, "one pending requeue per key: the 250 requests to look again in 5 s are one");
        queue.Timers.ShouldBe(1);
        await stop.CancelAsync();
        queue.ShutDown();
        await run;
    }
}
