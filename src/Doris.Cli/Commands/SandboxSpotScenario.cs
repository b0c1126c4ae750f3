using Doris.Sandbox;
using Doris.Simulation.Time;

namespace Doris.Cli.Commands;

/// <summary>
/// <c>dorisctl sandbox --scenario spot</c>: the Spot scenario on simulated time (two minutes of notice take well
/// under a second), with a line per interruption and the drain figures at the end. <c>--until-done</c> exits 0
/// only when every invariant held and every CN left its node before the kill.
/// </summary>
internal static class SandboxSpotScenario
{
    /// <summary>The scenario on a DorisDisaggregatedCluster: its Spot compute group's members drained instead of CNs.</summary>
    public const string ComputeGroupsName = "spot-compute-groups";

    public static async Task<int> RunAsync(int port, string kubeconfig, int interruptions, bool untilDone, CliConsole console, CancellationToken cancellationToken, int? seed = null, IReadOnlyList<Doris.Simulation.Cluster.NodeGroupShape>? fleet = null, bool disaggregated = false)
    {
        var name = disaggregated ? ComputeGroupsName : SpotScenario.Name;
        var members = disaggregated ? "compute-group member" : "CN";
        if (interruptions < 1)
        {
            throw new CliException(ExitCodes.Usage, $"--interruptions {interruptions}: use 1 or more");
        }

        // Whole seconds: the same --seed then replays the same run to the second.
        var now = DateTimeOffset.UtcNow;
        var clock = new SimulatedClock(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero));
        await using var env = await SandboxCommand.StartAsync(port, cancellationToken, clock, fleet).ConfigureAwait(false);
        await Output.PrivateFile.WriteAsync(kubeconfig, env.Server.Kubeconfig(), cancellationToken).ConfigureAwait(false);
        console.Out.WriteLine($"sandbox API server at {env.Server.Address}; kubeconfig: {kubeconfig}; scenario: {name} on simulated time");
        await using var op = env.StartOperator();
        var driver = new SimulatedDriver(env, clock) { SkipQuietSteps = true };
        var options = new SpotScenario.Options { Interruptions = interruptions, Span = TimeSpan.FromMinutes(10 * interruptions), Disaggregated = disaggregated };
        if (seed is { } s)
        {
            options = options with { Seed = s };
        }

        var started = clock.GetUtcNow();
        var result = await SpotScenario.RunAsync(env, driver, options, line => console.Out.WriteLine($"[{clock.GetUtcNow() - started:hh\\:mm\\:ss} simulated] {line}"), cancellationToken).ConfigureAwait(false);
        foreach (var drain in result.Drains)
        {
            var budget = drain.Budget is { } b ? $" of the {b.TotalSeconds:0}s notice" : string.Empty;
            console.Out.WriteLine($"  drained {drain.Pod} off {drain.Node} ({drain.Signal}): {drain.Took.TotalSeconds:0.00}s simulated{budget}, operator {drain.Wall.TotalMilliseconds:0} ms");
        }

        console.Out.WriteLine(result.Summary());
        if (env.Cluster.Autoscaler is { } autoscaler)
        {
            console.Out.Write(FleetReport.Text(FleetWhatIf.Measure(autoscaler, env.Cluster.Store)));
        }

        if (!result.Completed || result.Missed > 0)
        {
            throw new CliException(ExitCodes.NotReady, $"scenario {name} failed: {result.Violation ?? $"{result.Missed} {members} pod(s) were still on their node when EC2 took it"}");
        }

        console.Out.WriteLine(disaggregated
            ? $"scenario {name} completed with every invariant held (FE quorum kept) and every {members} drained before its node was reclaimed"
            : $"scenario {name} completed with every invariant held (FE quorum kept, every tablet with a live replica) and every {members} drained before its node was reclaimed");
        if (!untilDone)
        {
            console.Out.WriteLine($"the sandbox keeps running on simulated time; try: kubectl --kubeconfig {kubeconfig} get {(disaggregated ? "ddc" : "dcr")},pods,nodes -A   (Ctrl+C to stop)");
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    await driver.StepAsync(TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
                    await Task.Delay(250, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        return ExitCodes.Success;
    }
}
