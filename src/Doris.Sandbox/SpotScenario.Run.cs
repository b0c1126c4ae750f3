using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;
using Doris.Simulation.Processes;

namespace Doris.Sandbox;

public static partial class SpotScenario
{
    /// <summary>One chaos run: an agenda of interruptions, rebalance recommendations and replacement launches.</summary>
    private sealed class Run(SandboxEnvironment env, SimulatedDriver driver, Options options, Action<string> report)
    {
        private readonly Random _random = new(options.Seed);
        private readonly PriorityQueue<Action, (DateTimeOffset At, long Order)> _agenda = new();
        private DateTimeOffset _lastEvent = DateTimeOffset.MinValue;
        private long _order;
        private int _launched;
        private int _interruptions;
        private int _cnPodsHit;
        private int _rebalances;
        private int _shortages;
        private int _missed;
        private long _checks;

        // What the Spot members are called in reports: CNs, or compute-group members.
        private string What => options.Disaggregated ? "compute-group member" : "CN";

        public DorisModel Doris => options.Disaggregated ? env.Cluster.Doris.DisaggregatedModel(Namespace, ClusterName) : env.Cluster.Doris.Model(Namespace, ClusterName);

        public async Task<bool> IsReadyAsync()
        {
            if (options.Disaggregated)
            {
                var d = await env.DisaggregatedClusters.GetAsync(Namespace, ClusterName).ConfigureAwait(false);
                return d.Status?.ObservedGeneration == d.Metadata!.Generation && d.Status?.Conditions?.Any(x => x.Type == "Ready" && x.Status == "True") == true;
            }

            var c = await env.Clusters.GetAsync(Namespace, ClusterName).ConfigureAwait(false);
            return c.Status?.ObservedGeneration == c.Metadata!.Generation && c.Status?.Conditions?.Any(x => x.Type == "Ready" && x.Status == "True") == true;
        }

        public async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan limit, CancellationToken cancellationToken)
        {
            var end = driver.Clock.GetUtcNow() + limit;
            while (!await condition().ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (driver.Clock.GetUtcNow() > end)
                {
                    return false;
                }

                await driver.StepAsync(Fine).ConfigureAwait(false);
            }

            return true;
        }

        public async Task<string?> ChaosAsync(CancellationToken cancellationToken)
        {
            var start = driver.Clock.GetUtcNow();
            foreach (var at in Enumerable.Range(0, options.Interruptions).Select(_ => start + TimeSpan.FromSeconds(60 + (_random.NextDouble() * (options.Span.TotalSeconds - 60)))))
            {
                if (_random.NextDouble() < options.RebalanceShare)
                {
                    Schedule(at - TimeSpan.FromSeconds(60 + (_random.NextDouble() * 120)), () => Rebalance(at));
                }
                else
                {
                    Schedule(at, () => Interrupt(null));
                }
            }

            var reported = 0;
            while (_agenda.TryPeek(out _, out var next))
            {
                while (driver.Clock.GetUtcNow() < next.At)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var now = driver.Clock.GetUtcNow();
                    var size = now - _lastEvent < TimeSpan.FromSeconds(6) ? Fine : env.Cluster.Store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod, Namespace).All(Ready) ? Coarse : Medium;
                    await driver.StepAsync(next.At - now < size ? next.At - now : size).ConfigureAwait(false);
                    _checks++;
                    if (Check(Doris) is { } violation)
                    {
                        return $"at {driver.Clock.GetUtcNow() - start:hh\\:mm\\:ss} of simulated time: {violation}";
                    }
                }

                _agenda.Dequeue()();
                _lastEvent = driver.Clock.GetUtcNow();
                if (options.Interruptions > 20 && _interruptions >= reported + Math.Max(1, options.Interruptions / 8))
                {
                    reported = _interruptions;
                    var drains = Drains();
                    report($"{driver.Clock.GetUtcNow() - start:hh\\:mm} simulated: {_interruptions} interruptions ({_rebalances} announced by a rebalance recommendation), {_cnPodsHit} {What} pods on interrupted nodes, {drains.Count} {What} drains, worst {Worst(drains):0.0}s; invariants held after {_checks} steps");
                }
            }

            return null;
        }

        public Result Finish(bool completed, string? violation, DateTimeOffset start, TimeSpan wall) =>
            new(completed, violation, _interruptions, _rebalances, _shortages, _cnPodsHit, Drains(), driver.Clock.GetUtcNow() - start, wall, _checks, driver.Steps) { MissedAtKill = _missed, Members = What };

        private IReadOnlyList<Doris.Operator.Nodes.DrainRecord> Drains() => [.. env.Operators.SelectMany(o => o.Host.Drains.Records)];

        private static double Worst(IReadOnlyList<Doris.Operator.Nodes.DrainRecord> drains) => drains.Count == 0 ? 0 : drains.Max(d => d.Took.TotalSeconds);

        /// <summary>Per-event lines for short runs (the CLI scenario); the chaos run only reports totals.</summary>
        private void Detail(string line)
        {
            if (options.Interruptions <= 20)
            {
                var drains = Drains();
                report($"{line} [drains so far: {drains.Count}, operator worst {(drains.Count == 0 ? 0 : drains.Max(d => d.Wall.TotalMilliseconds)):0} ms]");
            }
        }

        private void Schedule(DateTimeOffset at, Action action) => _agenda.Enqueue(action, (at, _order++));

        private void Rebalance(DateTimeOffset interruptAt)
        {
            if (PickSpotNode() is { } node)
            {
                env.Cluster.RecommendRebalance(node);
                _rebalances++;
                Detail($"Spot rebalance recommendation for {node} ({OnNode(node).Count} {What} pods); an interruption follows in {interruptAt - driver.Clock.GetUtcNow():mm\\:ss}");
                Schedule(interruptAt, () => Interrupt(node));
            }
        }

        private void Interrupt(string? hint)
        {
            var node = hint is not null && Spot().Contains(hint) ? hint : PickSpotNode();
            if (node is null)
            {
                return; // every Spot node is already going: nothing left to interrupt
            }

            var on = OnNode(node);
            _cnPodsHit += on.Count;
            env.Cluster.InterruptSpot(node, Notice);
            _interruptions++;
            Detail($"Spot interruption notice for {node} ({(on.Count == 0 ? $"no {What} on it" : string.Join(", ", on.Select(p => p.Metadata!.Name)))}); EC2 reclaims it in {Notice.TotalSeconds:0}s");

            // Just before EC2 takes the node: a CN pod still running there is a drain that did not beat the notice.
            Schedule(driver.Clock.GetUtcNow() + Notice - Fine, () =>
            {
                var left = OnNode(node);
                _missed += left.Count;
                Detail(left.Count == 0
                    ? $"{node} is about to be reclaimed: no {What} left on it; the FE's {What}s are {string.Join(", ", Doris.Backends().Where(b => b.Role == "computation" || b.ComputeGroupName is not null).Select(b => $"{b.Host.Split('.')[0]}{(b.Alive ? string.Empty : " (starting)")}"))}"
                    : $"{node} is about to be reclaimed with {string.Join(", ", left.Select(p => p.Metadata!.Name))} still on it: DRAIN MISSED");
            });
            Schedule(driver.Clock.GetUtcNow() + Notice, Launch);
        }

        /// <summary>The Auto Scaling group or Karpenter replacing a reclaimed node, unless Spot capacity is short.</summary>
        private void Launch()
        {
            if (env.Cluster.Autoscaler is { } autoscaler)
            {
                // A planned fleet: its autoscaler replaces the node when the drained CNs need one, and Spot shortages
                // strike its launches (drawn from this run's seed).
                autoscaler.Shortage ??= _ => { var shortage = _random.NextDouble() < options.ShortageShare; _shortages += shortage ? 1 : 0; return shortage; };
                return;
            }

            if (_random.NextDouble() < options.ShortageShare)
            {
                _shortages++;
                Detail("replacement Spot node could not launch (InsufficientInstanceCapacity); retrying in 10 minutes");
                Schedule(driver.Clock.GetUtcNow() + TimeSpan.FromMinutes(10), Launch);
                return;
            }

            var zone = "us-east-1" + "abc"[_random.Next(3)];
            env.Cluster.AddNodes([new NodeShape($"spot-{++_launched}.ec2.internal", zone, "m6i.4xlarge", true, 16, 64, 234)
            {
                Taints = [global::Doris.Api.Naming.NodeLabels.SpotTaint()],
            }]);
        }

        /// <summary>A Spot node not already under notice: one running a CN with the targeted share, else any.</summary>
        private string? PickSpotNode()
        {
            var candidates = Spot().ToList();
            if (candidates.Count == 0)
            {
                return null;
            }

            var withCn = env.Cluster.Store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod, Namespace)
                .Where(p => p.Metadata!.DeletionTimestamp is null && p.Spec?.NodeName is { } n && candidates.Contains(n)).Select(p => p.Spec!.NodeName!).Distinct().ToList();
            var pool = withCn.Count > 0 && _random.NextDouble() < options.TargetCnShare ? withCn : candidates;
            return pool[_random.Next(pool.Count)];
        }

        private IEnumerable<string> Spot() =>
            env.Cluster.Store.List(TypedStore.Nodes, KubernetesJsonContext.Default.Node)
                .Where(n => n.Metadata!.Labels?.GetValueOrDefault(global::Doris.Api.Naming.NodeLabels.KarpenterCapacityType) == "spot" && !env.Cluster.PendingTerminations.ContainsKey(n.Metadata.Name!))
                .Select(n => n.Metadata!.Name!).OrderBy(n => n, StringComparer.Ordinal);

        private List<Pod> OnNode(string node) =>
            [.. env.Cluster.Store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod, Namespace).Where(p => p.Spec?.NodeName == node && p.Metadata!.DeletionTimestamp is null)];

        private static bool Ready(Pod pod) => pod.Metadata!.DeletionTimestamp is null && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
    }
}
