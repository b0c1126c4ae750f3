using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Doris.Api.Serialization;
using Doris.Kubernetes.Serialization;

namespace Doris.Operator.Runtime;

/// <summary>
/// Builds, on a thread of its own, the JSON contracts the operator decodes first (its Lease, then every cached kind),
/// while the main path reads the kubeconfig and waits on the API server. On a ReadyToRun build the first use of a
/// contract loads every model type the source-generated context names before it and JIT-compiles the serializer's
/// generic code for value types (which no precompiled image holds): measured on a 2-core VM, about 130 ms that used
/// to sit on the path to the first status. The work is the same either way; here it runs beside the main path
/// instead of on it, and the ReadyToRun start is about 50 ms shorter (the two threads contend for the rest;
/// bench/RESULTS.md, start-up side by side). Nothing depends on it finishing: a contract not yet built is built on first
/// use as before (the runtime makes that safe across threads).
/// </summary>
public static class StartupWarmup
{
    // The leader's order: the Lease first (leader election), then the caches' kinds as CachedClusterView creates them.
    private static readonly Func<JsonTypeInfo>[] Contracts =
    [
        () => KubernetesJsonContext.Default.Lease,
        () => DorisApiJsonContext.Default.DorisCluster,
        () => KubernetesJsonContext.Default.StatefulSet,
        () => KubernetesJsonContext.Default.Service,
        () => KubernetesJsonContext.Default.PodDisruptionBudget,
        () => KubernetesJsonContext.Default.HorizontalPodAutoscaler,
        () => KubernetesJsonContext.Default.Pod,
        () => KubernetesJsonContext.Default.Node,
        () => KubernetesJsonContext.Default.ConfigMap,
        () => KubernetesJsonContext.Default.Event,
    ];

    /// <summary>The types whose contracts are built, in order (a test holds this to the kinds the caches keep).</summary>
    public static IReadOnlyList<Type> Kinds => [.. Contracts.Select(contract => contract().Type)];

    /// <summary>Starts the warm-up; the task ends when every contract is built, or with the exception that stopped it.</summary>
    public static Task Start()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run();
                done.SetResult();
            }
            catch (Exception e)
            {
                // Never fatal here (an exception on this thread would end the process): a contract that fails to
                // build fails the same way where it is used, with the caller's context. The task carries it for tests.
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = "startup-warmup" };
        thread.Start();
        return done.Task;
    }

    /// <summary>Builds each contract and decodes and encodes one small object with it (so its converters are ready too).</summary>
    public static void Run()
    {
        foreach (var contract in Contracts)
        {
            var info = contract();
            var sample = JsonSerializer.Deserialize("""{"metadata":{"name":"warmup","labels":{"a":"b"}}}""", info);
            _ = JsonSerializer.Serialize(sample, info);
        }
    }
}
