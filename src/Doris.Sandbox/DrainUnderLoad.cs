using System.Diagnostics;
using Doris.Api.V1;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator;
using Doris.Simulation.Cluster;
using Doris.Simulation.Time;

namespace Doris.Sandbox;

/// <summary>
/// How long a Spot drain waits when the operator is busy: the Spot scenario's cluster Ready, then a burst of new
/// DorisClusters created at once and, right after the last one, a Spot interruption notice on a node that runs a
/// CN. Measured on the machine's clock from the taint to the reconcile that starts the CN's drain, with how many
/// reconciles ran in between. Simulated time stands still meanwhile, so only the operator's queue is measured.
/// </summary>
public static class DrainUnderLoad
{
    public sealed record Outcome(TimeSpan SignalToDrain, long ReconcilesBetween, int QueuedAtSignal, int Clusters);

    public static async Task<Outcome> RunAsync(bool priorityLane, int clusters, CancellationToken cancellationToken = default)
    {
        var clock = new SimulatedClock();
        await using var env = await SandboxEnvironment.StartAsync(new SandboxOptions { Time = clock, Tls = false, Nodes = NodeShape.DefaultFleet() }, cancellationToken).ConfigureAwait(false);
        var op = env.StartOperator(options: new OperatorOptions { PriorityLane = priorityLane });
        var driver = new SimulatedDriver(env, clock) { SkipQuietSteps = true };
        await env.ApplyAsync(SpotScenario.Manifest(2), [], cancellationToken).ConfigureAwait(false);
        var limit = clock.GetUtcNow() + TimeSpan.FromMinutes(10);
        while (!await ReadyAsync(env, cancellationToken).ConfigureAwait(false))
        {
            if (clock.GetUtcNow() > limit)
            {
                throw new InvalidOperationException("the Spot scenario's cluster was not Ready within 10 simulated minutes");
            }

            await driver.StepAsync(TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
        }

        var cn = env.Cluster.Store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod, SpotScenario.Namespace, "app.kubernetes.io/component=cn").First(p => p.Spec?.NodeName is not null);

        // The burst: every cluster created concurrently, as a GitOps sync or a tenant onboarding would.
        await Parallel.ForEachAsync(Enumerable.Range(0, clusters), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => await env.Clusters.CreateAsync(Tenant(i), ct).ConfigureAwait(false)).ConfigureAwait(false);

        var queued = op.Host.Queue.Count;
        var reconciles = op.Host.Reconciles;
        var signalled = Stopwatch.GetTimestamp();
        env.Cluster.InterruptSpot(cn.Spec!.NodeName!, TimeSpan.FromMinutes(2));
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        long? opened;
        while ((opened = op.Host.Drains.OpenedAt(cn.Metadata!.Uid!)) is null && op.Host.Drains.Records.All(r => r.Pod != cn.Metadata.Name))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"the operator did not start the drain of {cn.Metadata.Name} within a minute of the signal");
            }

            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }

        var between = op.Host.Reconciles - reconciles;
        return new Outcome(Stopwatch.GetElapsedTime(signalled, opened ?? Stopwatch.GetTimestamp()), between, queued, clusters);
    }

    private static async Task<bool> ReadyAsync(SandboxEnvironment env, CancellationToken cancellationToken)
    {
        var c = await env.Clusters.GetAsync(SpotScenario.Namespace, SpotScenario.ClusterName, cancellationToken).ConfigureAwait(false);
        return c.Status?.ObservedGeneration == c.Metadata!.Generation && c.Status?.Conditions?.Any(x => x.Type == "Ready" && x.Status == "True") == true;
    }

    private static DorisCluster Tenant(int i) => new()
    {
        ApiVersion = "doris.selectdb.com/v1",
        Kind = "DorisCluster",
        Metadata = new ObjectMeta { Name = $"tenant-{i:D4}", Namespace = SpotScenario.Namespace },
        Spec = new DorisClusterSpec
        {
            FeSpec = new FeSpec { Replicas = 1, Image = "apache/doris:fe-2.1.8" },
            BeSpec = new BeSpec { Replicas = 1, Image = "apache/doris:be-2.1.8" },
        },
    };
}
