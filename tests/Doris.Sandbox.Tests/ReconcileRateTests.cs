using Doris.Kubernetes.Client;
using Doris.Simulation.Time;

namespace Doris.Sandbox.Tests;

/// <summary>A burst of events on one cluster must not leave its reconcile rate raised: requeues never pile up.</summary>
public sealed class ReconcileRateTests
{
    [Fact]
    public async Task AnnotateBurst_OnAClusterThatIsNotReady_RateReturnsToTheSteadyLevelWithinAMinute()
    {
        var clock = new SimulatedClock();
        await using var env = await SandboxEnvironment.StartAsync(new SandboxOptions { Time = clock, Tls = false }, default);
        var (cluster, maps) = Scenario.Example("minimal");

        // A BE no node will take keeps the cluster from ever being Ready, so the operator looks again every few seconds.
        cluster = cluster with { Spec = cluster.Spec! with { BeSpec = cluster.Spec.BeSpec! with { NodeSelector = new Dictionary<string, string> { ["example.com/no-such-node"] = "true" } } } };
        await env.ApplyAsync(cluster, maps);
        var host = env.StartOperator().Host;
        var driver = new SimulatedDriver(env, clock) { SkipQuietSteps = true };
        async Task<long> ReconcilesOver(TimeSpan span)
        {
            var before = host.Reconciles;
            var end = clock.GetUtcNow() + span;
            while (clock.GetUtcNow() < end)
            {
                await driver.StepAsync(TimeSpan.FromMilliseconds(50)); // fine steps, so timers due at different instants fire apart, as on a real clock
            }

            return host.Reconciles - before;
        }

        await ReconcilesOver(TimeSpan.FromMinutes(1));
        var steady = await ReconcilesOver(TimeSpan.FromMinutes(3));

        for (var i = 0; i < 250; i++)
        {
            await env.Clusters.PatchAsync("default", "doris", PatchType.Merge, "{\"metadata\":{\"annotations\":{\"burst\":\"" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}}}");
            await driver.StepAsync(TimeSpan.FromMilliseconds(100));
        }

        var firstHalf = await ReconcilesOver(TimeSpan.FromSeconds(30));
        var secondHalf = await ReconcilesOver(TimeSpan.FromSeconds(30));

        // Not Ready only because a pod waits for a node: its events drive the reconciles, and the safety-net look
        // comes every PodWaitInterval (60 s), about three per three minutes; never a rate that grows with the
        // events it has seen, so the half-minute after the burst is back to at most a look or two.
        var expected = (long)(TimeSpan.FromMinutes(3) / Operator.Cluster.DorisClusterReconciler.PodWaitInterval);
        var conditions = string.Join("; ", (await env.Clusters.GetAsync("default", "doris")).Status?.Conditions?.Select(c => $"{c.Type}={c.Status}") ?? []);
        steady.ShouldBeInRange(expected - 1, expected + 2, $"the steady rate of a cluster that is not Ready ({conditions})");
        secondHalf.ShouldBeLessThanOrEqualTo(2, $"steady {steady} per 3 min, {firstHalf} and {secondHalf} in the two half-minutes after the burst");
        host.Queue.Timers.ShouldBeLessThanOrEqualTo(1, "one pending timer per key");
    }
}
