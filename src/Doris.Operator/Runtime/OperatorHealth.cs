namespace Doris.Operator.Runtime;

/// <summary>
/// What /readyz and /healthz answer, decided from the informers and the workers (pure, so it is tested directly).
/// A follower is ready (it is ready to take over; an operator rollout must not wait on the election) once it knows
/// it is one: its first election round has finished and its last one reached the API server (one that cannot would
/// never take over, and saying ready would hide it). A leader is
/// ready only while every informer has synced and none has gone without a working watch for longer than the bound:
/// an operator that cannot see changes must not look healthy. Live means no worker is stuck in one reconcile.
/// </summary>
public static class OperatorHealth
{
    public static IReadOnlyList<string> NotReady(bool leader, IReadOnlyList<IInformerHealth>? informers, DateTimeOffset now, TimeSpan bound, string? election = null)
    {
        if (!leader)
        {
            return election is null ? [] : [election];
        }

        if (informers is null)
        {
            return ["elected, caches not started yet"];
        }

        var problems = new List<string>();
        foreach (var informer in informers)
        {
            var without = informer.WithoutWatch(now);
            if (!informer.HasSynced)
            {
                problems.Add($"{informer.Resource}: not synced yet (no complete list for {Seconds(without)})");
            }
            else if (without > bound)
            {
                problems.Add($"{informer.Resource}: no working watch for {Seconds(without)} (bound {Seconds(bound)}); {informer.State}");
            }
        }

        return problems;
    }

    public static string? NotLive<TKey>((TKey Key, TimeSpan For)? longest, TimeSpan bound) =>
        longest is { } run && run.For > bound ? $"reconcile of {run.Key} running for {Seconds(run.For)} (bound {Seconds(bound)})" : null;

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0}s";
}
