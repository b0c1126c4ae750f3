using Doris.Kubernetes.Client;
using Doris.Operator.Runtime;

namespace Doris.Operator.Tests;

public sealed class OperatorHealthTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed record FakeInformer(string Resource, bool HasSynced, TimeSpan Without) : IInformerHealth
    {
        public int Count => 0;

        public string State => "backing off";

        public bool Busy => false;

        public TimeSpan WithoutWatch(DateTimeOffset now) => Without;

        public DateTimeOffset? LastEventAt => null;

        public IReadOnlyDictionary<string, long> WatchRestarts => new Dictionary<string, long>();

        public long DecodeFailures => 0;

        public IReadOnlyCollection<UndecodableObject> Undecodable => [];
    }

    [Fact]
    public void NotReady_FollowerWithoutCaches_IsReady() =>
        OperatorHealth.NotReady(false, null, Now, TimeSpan.FromSeconds(60)).ShouldBeEmpty();

    // Before its first election round an operator does not know it is a follower; /readyz said ok at once, so the
    // start-up benchmark timed the probe server, not readiness, and an operator that could not reach the API server
    // at all looked ready.
    [Fact]
    public void NotReady_FollowerWithAnElectionProblem_NamesIt() =>
        OperatorHealth.NotReady(false, null, Now, TimeSpan.FromSeconds(60), "starting: the first leader-election round has not finished")
            .ShouldBe(["starting: the first leader-election round has not finished"]);

    [Fact]
    public void NotReady_LeaderWithAnUnsyncedOrBlindInformer_NamesIt()
    {
        var problems = OperatorHealth.NotReady(true, [new FakeInformer("pods", true, TimeSpan.Zero), new FakeInformer("dorisclusters", false, TimeSpan.FromSeconds(5)), new FakeInformer("nodes", true, TimeSpan.FromSeconds(61))], Now, TimeSpan.FromSeconds(60));

        problems.ShouldBe(["dorisclusters: not synced yet (no complete list for 5s)", "nodes: no working watch for 61s (bound 60s); backing off"]);
    }

    [Fact]
    public void NotReady_LeaderBriefBetweenWatches_IsStillReady() =>
        OperatorHealth.NotReady(true, [new FakeInformer("pods", true, TimeSpan.FromSeconds(59))], Now, TimeSpan.FromSeconds(60)).ShouldBeEmpty();

    [Fact]
    public async Task NotLive_AReconcileStuckPastTheBound_NamesItsKey()
    {
        var release = new TaskCompletionSource<ReconcileResult>();
        using var queue = new WorkQueue<string>(TimeProvider.System);
        var controller = new Controller<string>(queue, new Blocking(release.Task), workers: 2);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);
        queue.Add("ns/stuck");
        while (controller.InFlight == 0)
        {
            await Task.Delay(10);
        }

        await Task.Delay(50);

        OperatorHealth.NotLive(controller.LongestRunning(), TimeSpan.FromMilliseconds(20)).ShouldStartWith("reconcile of ns/stuck running for");
        OperatorHealth.NotLive(controller.LongestRunning(), TimeSpan.FromMinutes(5)).ShouldBeNull();
        release.SetResult(ReconcileResult.Done);
        while (controller.InFlight > 0)
        {
            await Task.Delay(10);
        }

        controller.LongestRunning().ShouldBeNull();
        await stop.CancelAsync();
        queue.ShutDown();
        await run;
    }

    private sealed class Blocking(Task<ReconcileResult> until) : IReconciler<string>
    {
        public Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken) => until.WaitAsync(cancellationToken);
    }
}
