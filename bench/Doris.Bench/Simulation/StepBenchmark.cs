using System.Diagnostics;
using System.Globalization;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Desired;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Sandbox;
using Doris.Simulation.Cluster;

namespace Doris.Bench.Simulation;

/// <summary>
/// What one step of the simulated cluster costs, without an operator: N minimal clusters' objects (rendered by the
/// operator's builder) written straight to the store, stepped until every pod is Ready, then stepped with nothing
/// changing. The operator benchmark shares two cores with this simulation, so its cost is part of "time / floor".
/// </summary>
internal static class StepBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var clusters = int.Parse(Option(args, "--clusters", "1000"), CultureInfo.InvariantCulture);
        var unrelated = int.Parse(Option(args, "--unrelated-pods", "10000"), CultureInfo.InvariantCulture);
        var options = new SandboxOptions
        {
            Nodes = OperatorFleet.Nodes(clusters),
            Timings = new SimulationTimings { Start = TimeSpan.Zero, Ready = TimeSpan.Zero, Stop = TimeSpan.Zero },
        };
        await using var env = await SandboxEnvironment.StartAsync(options, default);
        if (unrelated > 0)
        {
            OperatorFleet.AddUnrelatedPods(env, unrelated);
        }

        await env.EnsureNamespaceAsync("bench");
        var template = OperatorFleet.Minimal();
        for (var i = 0; i < clusters; i++)
        {
            var cluster = await env.Clusters.CreateAsync(template with { Metadata = new ObjectMeta { Name = $"c{i:0000}", Namespace = "bench" } });
            foreach (var child in DesiredClusterBuilder.Build(cluster, new Dictionary<string, ConfigMap>()).Objects)
            {
                OperatorFleet.Create(env.Cluster.Store, child);
            }
        }

        var busy = new List<double>();
        var clock = Stopwatch.StartNew();
        while (!AllReady(env.Cluster.Store, clusters))
        {
            var step = Stopwatch.StartNew();
            env.Cluster.Step();
            busy.Add(step.Elapsed.TotalMilliseconds);
            if (clock.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException("pods not Ready after 10 minutes of steps");
            }
        }

        var quiet = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var step = Stopwatch.StartNew();
            env.Cluster.Step();
            quiet.Add(step.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine("| Clusters | Unrelated pods | Steps to all Ready | Time to all Ready | Step while creating (median / max) | Quiet step (median / max) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {clusters} | {unrelated} | {busy.Count} | {clock.Elapsed.TotalSeconds:0.0} s | {Median(busy):0.0} / {busy.Max():0.0} ms | {Median(quiet):0.00} / {quiet.Max():0.00} ms |"));
        return 0;
    }

    private static bool AllReady(TypedStore store, int clusters) =>
        store.List(TypedStore.StatefulSets, KubernetesJsonContext.Default.StatefulSet, "bench")
            .Count(s => (s.Status?.ReadyReplicas ?? 0) >= (s.Spec?.Replicas ?? 1)) == clusters * 2;

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
