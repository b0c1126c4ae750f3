using Doris.Simulation.Time;

namespace Doris.Sandbox;

/// <summary>
/// Drives a sandbox on simulated time: advance the clock, step the simulated controllers, then give the operators
/// (real HTTP, real watches) a moment of real time to react before the next step, until they are idle and nothing
/// changes on the server (bounded, so a busy machine only slows the run down).
/// </summary>
public sealed class SimulatedDriver(SandboxEnvironment env, SimulatedClock clock)
{
    private static readonly TimeSpan SettleLimit = TimeSpan.FromMilliseconds(750);

    public SimulatedClock Clock => clock;

    public long Steps { get; private set; }

    /// <summary>
    /// Skip the real-time wait when a step changed nothing and every operator is idle. Long runs (the Spot chaos
    /// day) need it; it lets simulated time outrun work the operator does outside its queue (a leader campaign),
    /// so scenarios that restart operators leave it off.
    /// </summary>
    public bool SkipQuietSteps { get; init; }

    private long _settled = -1;
    private long _settledEnds = -1;


    public async Task StepAsync(TimeSpan by)
    {
        var store = env.Server.Store;
        clock.Advance(by);
        env.Cluster.Step();
        Steps++;
        if (SkipQuietSteps && store.CurrentResourceVersion == _settled && store.WatchEnds == _settledEnds && env.Operators.All(o => o.Host.Idle))
        {
            return; // nothing changed since the operators last settled, no watch ended and no timer woke one: nothing to wait for
        }

        var deadline = DateTime.UtcNow + SettleLimit;
        // At least a few milliseconds per step: work outside the queue (a lease campaign, a watch event on its way)
        // does not show in Idle, and a shorter floor let simulated time outrun a busy operator under load.
        await Task.Delay(5).ConfigureAwait(false);
        var version = store.CurrentResourceVersion;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(3).ConfigureAwait(false);
            var now = store.CurrentResourceVersion;
            if (now == version && env.Operators.All(o => o.Host.Idle))
            {
                break;
            }

            version = now;
        }

        _settled = store.CurrentResourceVersion;
        _settledEnds = store.WatchEnds;
    }
}
