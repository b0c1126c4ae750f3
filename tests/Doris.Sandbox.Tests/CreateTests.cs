using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;

namespace Doris.Sandbox.Tests;

public sealed class CreateTests
{
    [Fact]
    public async Task MinimalCluster_Created_BecomesReadyWithPodsOnOnDemandNodes()
    {
        await using var s = await Scenario.StartAsync();
        await using var op = s.StartOperator();
        var (cluster, maps) = Scenario.Example("minimal");
        await s.Env.ApplyAsync(cluster, maps);

        await s.RunUntilAsync(() => s.IsReadyAsync("doris"), TimeSpan.FromMinutes(2), "cluster Ready");

        var pods = s.Pods();
        pods.Select(p => p.Metadata!.Name).Order().ShouldBe(["doris-be-0", "doris-fe-0"]);
        var nodes = s.Store.List(TypedStore.Nodes, KubernetesJsonContext.Default.Node).ToDictionary(n => n.Metadata!.Name!);
        pods.ShouldAllBe(p => nodes[p.Spec!.NodeName!].Metadata!.Labels!["eks.amazonaws.com/capacityType"] == "ON_DEMAND");
        var status = (await s.ClusterAsync("doris")).Status!;
        status.FeStatus!.ComponentCondition!.Phase.ShouldBe("available");
        status.BeStatus!.ComponentCondition!.Phase.ShouldBe("available");
    }
}
