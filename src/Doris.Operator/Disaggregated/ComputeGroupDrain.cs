using Doris.Api.Disaggregated;
using Doris.Desired.Disaggregated;
using Doris.Kubernetes.Models;
using Doris.Operator.Nodes;
using Doris.Sql;

namespace Doris.Operator.Disaggregated;

/// <summary>
/// Compute-group members on nodes being taken away (a Spot interruption notice, a rebalance recommendation, a
/// cordon, Karpenter or cluster-autoscaler): the CN drain applied to them, since they hold no data of their own:
/// queries disabled and decommissioned, dropped once Doris reports them drained, then the pod deleted so it starts on
/// a node that stays. Every drain is logged with the time from the taint, so misses against the notice show.
/// </summary>
public sealed class ComputeGroupDrain(ComputeGroupMembers members, DrainStep drains, TimeProvider time)
{
    public sealed record Outcome(IReadOnlyList<string> Problems, IReadOnlyList<(string Type, string Reason, string Message, string Slot)> Events, bool Active);

    public async Task<Outcome> RunAsync(DorisDisaggregatedCluster cluster, IReadOnlyList<Pod> pods, Func<string, Task<Node?>> node, int queryPort, CancellationToken cancellationToken)
    {
        var key = $"ddc:{cluster.Metadata!.Namespace}/{cluster.Metadata.Name}";
        var problems = new List<string>();
        var events = new List<(string, string, string, string)>();
        var now = time.GetUtcNow();
        var log = drains.Log;

        // A member whose pod vanished while its drain was open: the node went first.
        var present = pods.Where(p => p.Metadata?.DeletionTimestamp is null).Select(p => p.Metadata!.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var uid in log.OpenFor(key).Where(u => !present.Contains(u)))
        {
            if (log.Close(uid, now, finished: false) is { } missed)
            {
                events.Add(("Warning", "DrainMissed", $"{missed.Pod} was on node {missed.Node} ({missed.Signal}) and went with it after {missed.Took.TotalSeconds:0.#}s before it could be taken off", missed.Pod));
            }
        }

        var draining = new List<(Pod Pod, string Signal)>();
        foreach (var pod in pods.Where(p => p.Spec?.NodeName is not null && p.Metadata?.DeletionTimestamp is null &&
                                            p.Metadata!.Labels?.GetValueOrDefault(DisaggregatedLabels.PodType) == "compute"))
        {
            var on = await node(pod.Spec!.NodeName!).ConfigureAwait(false);
            if (DrainSignals.Reason(on) is { } signal)
            {
                draining.Add((pod, signal));
                log.Seen(pod.Metadata!.Uid!, key, pod.Metadata.Name!, pod.Spec.NodeName!, signal, DrainSignals.Since(on) is { } at && at < now ? at : now);
            }
        }

        if (draining.Count == 0)
        {
            return new Outcome(problems, events, false);
        }

        var active = false;
        try
        {
            var admin = await members.AdminAsync(cluster, queryPort, cancellationToken).ConfigureAwait(false);
            var backends = await admin.ShowBackendsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (pod, signal) in draining)
            {
                // The member registered under the pod's DNS name; one not (or no longer) registered has nothing to drain.
                var address = backends.FirstOrDefault(b => b.Host.Split('.')[0] == pod.Metadata!.Name)?.Address ?? string.Empty;
                active |= await drains.TakeOffAsync(admin, key, pod, signal, address, backends, problems, events, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (MySqlException e)
        {
            var message = $"cannot reach the FE to take compute-group members off draining nodes: {e.Message}; they stay registered until it answers";
            problems.Add(message);
            events.Add(("Warning", "FrontendUnavailable", message, "drain"));
            active = true;
        }

        return new Outcome(problems, events, active);
    }
}
