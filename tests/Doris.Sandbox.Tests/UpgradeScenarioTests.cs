using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;

namespace Doris.Sandbox.Tests;

/// <summary>An image upgrade of BE and FE together: BE first, one pod at a time, paused while a BE is down; then FE, master last.</summary>
public sealed class UpgradeScenarioTests
{
    private const string NewBe = "apache/doris:be-2.1.9";
    private const string NewFe = "apache/doris:fe-2.1.9";

    [Fact]
    public async Task ImageUpgrade_RunsInTheSafeOrder_AndPausesWhileABeIsDown()
    {
        await using var s = await Scenario.StartAsync();
        s.StartOperator();
        var (cluster, _) = Scenario.Example("minimal");
        await s.Env.ApplyAsync(cluster with { Spec = cluster.Spec! with { FeSpec = cluster.Spec.FeSpec! with { Replicas = 3, ElectionNumber = 3 }, BeSpec = cluster.Spec.BeSpec! with { Replicas = 3 } } }, []);
        await s.RunUntilAsync(() => s.IsReadyAsync("doris"), TimeSpan.FromMinutes(3), "Ready");
        await s.RunForAsync(TimeSpan.FromSeconds(1));
        var doris = s.Env.Cluster.Doris.Model("default", "doris");
        doris.SeedTablets(30);

        await s.Env.Clusters.PatchAsync("default", "doris", PatchType.Merge, """{"spec":{"beSpec":{"image":"NEWBE"},"feSpec":{"image":"NEWFE"}}}""".Replace("NEWBE", NewBe, StringComparison.Ordinal).Replace("NEWFE", NewFe, StringComparison.Ordinal));

        var replacedOrder = new List<string>();
        var known = new Dictionary<string, string>();
        var maxBeDown = 0;
        Task Track()
        {
            foreach (var pod in s.Pods())
            {
                var image = pod.Spec!.Containers![0].Image!;
                if (image is NewBe or NewFe && known.GetValueOrDefault(pod.Metadata!.Name!) != image)
                {
                    replacedOrder.Add(pod.Metadata!.Name!);
                }

                known[pod.Metadata!.Name!] = image;
            }

            var be = s.Pods("default", "app.kubernetes.io/component=be");
            maxBeDown = Math.Max(maxBeDown, 3 - be.Count(p => p.Metadata!.DeletionTimestamp is null && p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true));
            doris.LostTablets().ShouldBe(0);
            return Task.CompletedTask;
        }

        // The first BE is being replaced when a BE that has not been upgraded yet goes down: the rollout must wait.
        await s.RunUntilAsync(async () => { await Track(); return replacedOrder.Count == 1; }, TimeSpan.FromMinutes(3), "first BE replaced");
        doris.Down.Add("doris-be-0");
        await s.RunForAsync(TimeSpan.FromSeconds(30), Track);
        replacedOrder.Count.ShouldBe(1, "no further pod is replaced while a BE is down");
        (await s.ClusterAsync("doris")).Status!.Conditions!.Single(c => c.Type == "Ready").Message!.ShouldContain("backend doris-be-0 is not alive");

        doris.Down.Clear();
        await s.RunUntilAsync(async () => { await Track(); return s.Pods().All(p => p.Spec!.Containers![0].Image is NewBe or NewFe) && await s.IsReadyAsync("doris"); }, TimeSpan.FromMinutes(5), "upgrade finished");

        replacedOrder.ShouldBe(["doris-be-2", "doris-be-1", "doris-be-0", "doris-fe-2", "doris-fe-1", "doris-fe-0"], "BE first, highest ordinal first, FE master (fe-0) last");
        maxBeDown.ShouldBeLessThanOrEqualTo(1);
    }

    [Fact]
    public async Task BadSpecReverted_ThePendingPodOfTheBadRevisionIsReplaced_AndTheClusterIsReadyAgain()
    {
        await using var s = await Scenario.StartAsync();
        s.StartOperator();
        var (cluster, _) = Scenario.Example("minimal");
        await s.Env.ApplyAsync(cluster with { Spec = cluster.Spec! with { BeSpec = cluster.Spec.BeSpec! with { Replicas = 3 } } }, []);
        await s.RunUntilAsync(() => s.IsReadyAsync("doris"), TimeSpan.FromMinutes(3), "Ready");

        // A BE asking for more CPU than any node has: the first replaced pod stays Pending and the BE it replaced is
        // gone from the FE, so the cluster is unhealthy and the rollout stops there (as it should).
        await s.Env.Clusters.PatchAsync("default", "doris", PatchType.Merge, """{"spec":{"beSpec":{"requests":{"cpu":"100"}}}}""");
        bool Pending(Pod p) => p.Spec?.NodeName is null && p.Metadata!.DeletionTimestamp is null;
        await s.RunUntilAsync(() => Task.FromResult(s.Pods("default", "app.kubernetes.io/component=be").Any(Pending)), TimeSpan.FromMinutes(3), "a BE Pending on the bad revision");
        await s.RunForAsync(TimeSpan.FromSeconds(30));
        s.Pods("default", "app.kubernetes.io/component=be").Count(Pending).ShouldBe(1, "one pod at a time");
        (await s.ClusterAsync("doris")).Status!.Conditions!.Single(c => c.Type == "Degraded").Message!.ShouldContain("fit be's placement but lack cpu for requests.cpu 100", Case.Sensitive, (await s.ClusterAsync("doris")).Status!.Conditions!.Single(c => c.Type == "Degraded").Message);

        // Reverted: the Pending pod must be replaced by one on the reverted template although the cluster is not healthy.
        await s.Env.Clusters.PatchAsync("default", "doris", PatchType.Merge, """{"spec":{"beSpec":{"requests":{"cpu":"2"}}}}""");
        await s.RunUntilAsync(
            async () => await s.IsReadyAsync("doris") && s.Pods("default", "app.kubernetes.io/component=be") is { Count: 3 } be && !be.Any(Pending),
            TimeSpan.FromMinutes(3), "Ready again with every BE scheduled");
        s.Pods("default", "app.kubernetes.io/component=be").ShouldAllBe(p => p.Spec!.Containers![0].Resources!.Requests!["cpu"] == "2");
    }
}
