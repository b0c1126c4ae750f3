using System.Diagnostics;
using Doris.Api.V1;
using Doris.Desired;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Sandbox;
using Doris.Simulation.Cluster;

namespace Doris.Bench.Operator;

/// <summary>
/// What "N clusters to Ready" costs with no operator at all, on the same emulator and simulated cluster: the
/// clusters are created, then every object the operator would create for them (rendered by the same builder) is
/// created through the API by as many concurrent writers as the operator has workers, and each cluster gets one
/// status write once its pods are Ready. The operator's time is judged against this floor, measured in the same run.
/// </summary>
internal static class EmulatorFloor
{
    private const int Writers = 4; // the operator's default worker count

    /// <summary>CPU time this process (emulator, simulation and the benchmark's own clients) has used so far.</summary>
    public static TimeSpan OwnCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <returns>The time to all Ready and the CPU this process spent on it.</returns>
    public static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> RunAsync(int count, int unrelatedPods, SandboxOptions options, Func<DorisCluster> template)
    {
        await using var env = await SandboxEnvironment.StartAsync(options, default);
        if (unrelatedPods > 0)
        {
            OperatorFleet.AddUnrelatedPods(env, unrelatedPods); // the simulated cluster steps them in both runs
        }

        using var stop = new CancellationTokenSource();
        var simulation = env.RunClusterAsync(stop.Token);
        await env.EnsureNamespaceAsync("bench");
        var clock = Stopwatch.StartNew();
        var cpu = OwnCpu();
        var created = new DorisCluster[count];
        await ForEach(count, 16, async i => created[i] = await env.Clusters.CreateAsync(template() with { Metadata = new ObjectMeta { Name = $"c{i:0000}", Namespace = "bench" } }));
        await ForEach(count, Writers, async i =>
        {
            foreach (var child in DesiredClusterBuilder.Build(created[i], new Dictionary<string, ConfigMap>()).Objects)
            {
                await CreateAsync(env.Client, child);
            }
        });

        // One status write per cluster once its StatefulSets report every replica Ready (read from the store: the
        // operator learns this from its watches, which cost it nothing per cluster either).
        var pending = Enumerable.Range(0, count).ToHashSet();
        while (pending.Count > 0)
        {
            var readySets = ReadyClusters(env.Cluster.Store);
            var ready = pending.Where(i => readySets.Contains($"c{i:0000}")).ToList();
            await ForEach(ready.Count, Writers, async j =>
            {
                var i = ready[j];
                await env.Clusters.PatchAsync("bench", $"c{i:0000}", PatchType.Merge,
                    $$$"""{"status":{"observedGeneration":{{{created[i].Metadata!.Generation}}},"conditions":[{"type":"Ready","status":"True","reason":"AllComponentsReady","message":"floor","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""",
                    status: true);
            });
            pending.ExceptWith(ready);
            if (pending.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }
        }

        var elapsed = clock.Elapsed;
        cpu = OwnCpu() - cpu;
        await stop.CancelAsync();
        await simulation;
        return (elapsed, cpu);
    }

    /// <summary>Clusters whose StatefulSets all report every replica Ready (one listing per look, grouped by owner).</summary>
    private static HashSet<string> ReadyClusters(TypedStore store) =>
        store.List(TypedStore.StatefulSets, KubernetesJsonContext.Default.StatefulSet, "bench")
            .GroupBy(s => s.Metadata!.Labels?.GetValueOrDefault("app.doris.ownerreference/name") ?? string.Empty, StringComparer.Ordinal)
            .Where(g => g.Key.Length > 0 && g.All(s => (s.Status?.ReadyReplicas ?? 0) >= (s.Spec?.Replicas ?? 1)))
            .Select(g => g.Key).ToHashSet(StringComparer.Ordinal);

    private static Task CreateAsync(KubernetesClient client, IKubernetesObject child) => child switch
    {
        StatefulSet s => client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet).CreateAsync(s),
        Service s => client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service).CreateAsync(s),
        PodDisruptionBudget p => client.For(ResourceDescriptor.PodDisruptionBudgets, KubernetesJsonContext.Default.PodDisruptionBudget).CreateAsync(p),
        HorizontalPodAutoscaler h => client.For(ResourceDescriptor.HorizontalPodAutoscalers, KubernetesJsonContext.Default.HorizontalPodAutoscaler).CreateAsync(h),
        _ => throw new InvalidOperationException($"the floor does not create {child.Kind}"),
    };

    private static async Task ForEach(int count, int width, Func<int, Task> body)
    {
        using var gate = new SemaphoreSlim(width);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                await body(i);
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
