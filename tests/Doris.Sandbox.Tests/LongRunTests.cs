using Doris.Kubernetes.Client;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Runtime;
using Doris.Simulation.Time;
using Doris.Testing;

namespace Doris.Sandbox.Tests;

/// <summary>
/// A sandbox left running, as a user leaves <c>dorisctl sandbox</c> running: the operator's watches reach their
/// timeouts (five to ten minutes) and are resumed, and changes made with kubectl long after start are reconciled.
/// Simulated time, the real kubectl over HTTPS.
/// </summary>
public sealed class LongRunTests
{
    [Fact]
    public async Task Sandbox_LeftRunningTenMinutes_ReconcilesKubectlChangesAtMinuteNineAndEleven()
    {
        var clock = new SimulatedClock();
        await using var env = await SandboxEnvironment.StartAsync(new SandboxOptions { Time = clock }, default);
        var dir = Directory.CreateTempSubdirectory("sandbox-long-").FullName;
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, env.Server.Kubeconfig());
        var (cluster, maps) = Scenario.Example("minimal");
        await env.ApplyAsync(cluster, maps);
        var host = env.StartOperator().Host;
        var driver = new SimulatedDriver(env, clock) { SkipQuietSteps = true };
        var start = clock.GetUtcNow();
        await Drive.UntilAsync(driver, async () => (await env.Clusters.GetAsync("default", "doris")).Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true, TimeSpan.FromMinutes(3), "Ready");
        while (clock.GetUtcNow() - start < TimeSpan.FromMinutes(9))
        {
            await driver.StepAsync(TimeSpan.FromSeconds(1));
        }

        var patched = await Testing.Kubectl.RunAsync(kubeconfig, Path.Combine(dir, "cache"), "patch", "dcr", "doris", "--type", "merge", "-p", """{"spec":{"beSpec":{"replicas":2}}}""");
        patched.Code.ShouldBe(0, patched.Error);
        await Drive.UntilAsync(driver, () => ReconciledAsync(env, 2), TimeSpan.FromSeconds(15), "the change at minute 9");

        while (clock.GetUtcNow() - start < TimeSpan.FromMinutes(11))
        {
            await driver.StepAsync(TimeSpan.FromSeconds(1));
        }

        host.View!.All.ShouldAllBe(i => i.WatchRestarts.GetValueOrDefault("closed") >= 1, $"now {clock.GetUtcNow():HH:mm:ss}, started {start:HH:mm:ss}, open watches {env.Server.Store.OpenWatches}: " + string.Join("; ", host.View.All.Select(i => $"{i.Resource} {i.State} {string.Join(",", i.WatchRestarts)}")));
        patched = await Testing.Kubectl.RunAsync(kubeconfig, Path.Combine(dir, "cache"), "patch", "dcr", "doris", "--type", "merge", "-p", """{"spec":{"beSpec":{"replicas":3}}}""");
        patched.Code.ShouldBe(0, patched.Error);
        await Drive.UntilAsync(driver, () => ReconciledAsync(env, 3), TimeSpan.FromSeconds(15), "the change at minute 11");
        host.Terms.ShouldBe(1);
        host.NotReady().ShouldBeEmpty();
    }

    private static async Task<bool> ReconciledAsync(SandboxEnvironment env, int replicas)
    {
        var c = await env.Clusters.GetAsync("default", "doris");
        var be = await env.Client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet).GetAsync("default", "doris-be");
        return c.Status?.ObservedGeneration == c.Metadata!.Generation && be.Spec!.Replicas == replicas;
    }
}
