using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;
using Doris.Simulation.Processes;

namespace Doris.Sandbox;

/// <summary>
/// <c>dorisctl sandbox --scenario scale-in</c>: a cluster with five BEs holding 60 tablets of three replicas is
/// scaled in to three. Every tick checks the invariants (no tablet without a live replica; no BE pod removed while
/// still a full member); the scenario completes when three BEs remain, the FE knows exactly those, and the
/// cluster is Ready.
/// </summary>
public static class ScaleInScenario
{
    public const string Name = "scale-in";

    public sealed record Result(bool Completed, string? Violation, TimeSpan Took);

    public static DorisCluster Manifest() => new()
    {
        ApiVersion = "doris.selectdb.com/v1",
        Kind = "DorisCluster",
        Metadata = new ObjectMeta { Name = "scale-in", Namespace = "default" },
        Spec = new DorisClusterSpec
        {
            FeSpec = new FeSpec { Replicas = 1, ElectionNumber = 1, Image = "apache/doris:fe-2.1.8", Requests = Resources("2", "4Gi") },
            BeSpec = new BeSpec { Replicas = 5, Image = "apache/doris:be-2.1.8", Requests = Resources("2", "8Gi") },
        },
    };

    public static async Task<Result> RunAsync(SandboxEnvironment env, Action<string> report, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(report);
        var started = DateTimeOffset.UtcNow;
        var cluster = Manifest();
        await env.ApplyAsync(cluster, [], cancellationToken).ConfigureAwait(false);
        report("applied DorisCluster default/scale-in with 5 BEs; waiting until Ready");
        if (!await WaitAsync(async () => await IsReadyAsync(env).ConfigureAwait(false), timeout, cancellationToken).ConfigureAwait(false))
        {
            return new Result(false, "the cluster did not become Ready", DateTimeOffset.UtcNow - started);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false); // the last BE registers
        var doris = env.Cluster.Doris.Model("default", "scale-in");
        doris.SeedTablets(60);
        report($"Ready; 60 tablets x 3 replicas over {doris.Backends().Count} BEs ({Tablets(doris)}); scaling beSpec.replicas 5 -> 3");
        await env.Clusters.PatchAsync("default", "scale-in", PatchType.Merge, """{"spec":{"beSpec":{"replicas":3}}}""", cancellationToken: cancellationToken).ConfigureAwait(false);

        string? violation = null;
        var last = string.Empty;
        var done = await WaitAsync(async () =>
        {
            violation ??= Check(env, doris);
            if (violation is not null)
            {
                return true;
            }

            var live = await env.Clusters.GetAsync("default", "scale-in", cancellationToken).ConfigureAwait(false);
            var leaving = live.Status?.Conditions?.FirstOrDefault(c => c.Type == "Decommissioning");
            var line = $"BE pods {Pods(env).Count} · FE knows {doris.Backends().Count} BEs ({Tablets(doris)}) · {(leaving?.Status == "True" ? leaving.Message : "no decommission running")}";
            if (line != last)
            {
                report(line);
                last = line;
            }

            return Pods(env).Count == 3 && doris.Backends().Count == 3 && await IsReadyAsync(env).ConfigureAwait(false);
        }, timeout, cancellationToken).ConfigureAwait(false);

        violation ??= Check(env, doris);
        return violation is not null
            ? new Result(false, violation, DateTimeOffset.UtcNow - started)
            : new Result(done, done ? null : $"not finished within {timeout}", DateTimeOffset.UtcNow - started);
    }

    private static string? Check(SandboxEnvironment env, DorisModel doris)
    {
        if (doris.LostTablets() is > 0 and var lost)
        {
            return $"{lost} tablet(s) lost every live replica";
        }

        var members = doris.Backends().ToDictionary(b => b.Host.Split('.')[0], StringComparer.Ordinal);
        foreach (var pod in Pods(env).Where(p => p.Metadata!.DeletionTimestamp is not null))
        {
            if (members.TryGetValue(pod.Metadata!.Name!, out var backend) && !backend.Decommissioned)
            {
                return $"BE pod {pod.Metadata.Name} was deleted while still a full member holding tablets";
            }
        }

        return null;
    }

    private static IReadOnlyList<Pod> Pods(SandboxEnvironment env) =>
        env.Cluster.Store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod, "default", $"{DorisLabels.Cluster}=scale-in,{DorisLabels.Component}=be");

    private static string Tablets(DorisModel doris) =>
        string.Join(", ", doris.Execute("SHOW BACKENDS").Rows!.Select(r => $"{r[1]!.Split('.')[0]}: {r[11]}"));

    private static async Task<bool> IsReadyAsync(SandboxEnvironment env)
    {
        var c = await env.Clusters.GetAsync("default", "scale-in").ConfigureAwait(false);
        return c.Status?.ObservedGeneration == c.Metadata!.Generation && c.Status?.Conditions?.Any(x => x.Type == "Ready" && x.Status == "True") == true;
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static Dictionary<string, Quantity> Resources(string cpu, string memory) => new(StringComparer.Ordinal) { ["cpu"] = cpu, ["memory"] = memory };
}
