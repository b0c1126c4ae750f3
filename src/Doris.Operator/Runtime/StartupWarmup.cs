using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Doris.Kubernetes.Serialization;

namespace Doris.Operator.Runtime;

/// <summary>
/// Builds, on a thread of its own, the JSON contract of the Lease (the first object an operator decodes: its leader
/// election's) while the main path reads the kubeconfig. On a ReadyToRun build the first use of a contract loads every
/// model type it can hold and JIT-compiles the serializer's generic code for value types (which no precompiled image
/// holds): here it runs beside the main path instead of on it. The cached kinds are not built here: each cache's
/// client resolves its contract on the first object it decodes (KubernetesClient.For with a resolver), so a kind with
/// no objects yet (a fresh install has no Doris StatefulSets, pods or autoscalers) never pays for it, and kinds that
/// have objects build theirs in their informers' first lists, side by side. Building them all here as well took a core
/// from the main path for contracts a fresh start never used (bench/RESULTS.md, start-up). Nothing depends on this
/// finishing: a contract not yet built is built on first use as before (the runtime makes that safe across threads).
/// </summary>
public static class StartupWarmup
{
    private static readonly Func<JsonTypeInfo>[] Contracts =
    [
        () => KubernetesJsonContext.Default.Lease,
    ];

    /// <summary>The types whose contracts are built, in order (a test checks the Lease leads).</summary>
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
