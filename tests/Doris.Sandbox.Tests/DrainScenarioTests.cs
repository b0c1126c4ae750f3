using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;

namespace Doris.Sandbox.Tests;

/// <summary>Node drain signals reach the cluster's status; the simulated Spot interruption takes the node after the notice.</summary>
public sealed class DrainScenarioTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    private static async Task<Scenario> ProductionAsync()
    {
        var s = await Scenario.StartAsync();
        s.StartOperator();
        var (cluster, maps) = Scenario.Example("production", "doris");
        await OperatorScenarioTests.CreateSecretIfNamed(s, cluster.Spec!.AuthSecret, "doris");
        await s.Env.ApplyAsync(cluster, maps);
        await s.RunUntilAsync(() => s.IsReadyAsync("doris-prod", "doris"), Limit, "Ready");
        return s;
    }

    private static async Task<string?> DegradedAsync(Scenario s) =>
        (await s.ClusterAsync("doris-prod", "doris")).Status?.Conditions?.FirstOrDefault(c => c.Type == "Degraded" && c.Status == "True")?.Message;

    [Fact]
    public async Task Cordon_OnABeNode_IsReportedAndNothingIsRemoved()
    {
        await using var s = await ProductionAsync();
        var be1 = s.Pods("doris").Single(p => p.Metadata!.Name == "doris-prod-be-1");

        s.Env.Cluster.Cordon(be1.Spec!.NodeName!);
        await s.RunUntilAsync(async () => await DegradedAsync(s) is { } m && m.Contains("doris-prod-be-1 (be)") && m.Contains("cordoned"), Limit, "drain reported");
        await s.RunForAsync(TimeSpan.FromSeconds(20));

        s.Pods("doris", "app.kubernetes.io/component=be").Count.ShouldBe(3, "a cordon removes nothing");
        var events = (await s.Env.Client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("doris")).Items;
        events.ShouldContain(e => e.Reason == "Degraded" && e.Message!.Contains("being drained"));
    }

    [Fact]
    public async Task SpotInterruption_OnACnNode_ActedOnWithinSeconds_ThenTheCnRunsOnAnotherSpotNode()
    {
        await using var s = await ProductionAsync();
        var cn0 = s.Pods("doris").Single(p => p.Metadata!.Name == "doris-prod-cn-0");
        var node = cn0.Spec!.NodeName!;

        s.Env.Cluster.InterruptSpot(node);
        var events = s.Env.Client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event);
        var reported = await s.RunUntilAsync(async () => (await events.ListAsync("doris")).Items.Any(e => e.Reason == "Drained" && e.Message!.Contains("doris-prod-cn-0") && e.Message.Contains("Spot interruption notice")), Limit, "interruption acted on");
        reported.ShouldBeLessThan(TimeSpan.FromSeconds(3), "the CN is taken off within a second or two of simulated time");

        await s.RunUntilAsync(async () => s.Pods("doris").SingleOrDefault(p => p.Metadata!.Name == "doris-prod-cn-0") is { } moved && moved.Spec!.NodeName != node && await s.IsReadyAsync("doris-prod", "doris"), Limit, "CN rescheduled after the node was reclaimed");
        await s.RunUntilAsync(() => Task.FromResult(s.Store.Find(TypedStore.Nodes, KubernetesJsonContext.Default.Node, null, node) is null), Limit, "node reclaimed");
        await s.RunUntilAsync(() => s.IsReadyAsync("doris-prod", "doris"), Limit, "Ready after the reclaim");

        s.Store.Find(TypedStore.Nodes, KubernetesJsonContext.Default.Node, null, node).ShouldBeNull("EC2 took the node after the two-minute notice");
        var newNode = s.Store.Find(TypedStore.Nodes, KubernetesJsonContext.Default.Node, null, s.Pods("doris").Single(p => p.Metadata!.Name == "doris-prod-cn-0").Spec!.NodeName!)!;
        newNode.Metadata!.Labels!["eks.amazonaws.com/capacityType"].ShouldBe("SPOT");
        (await DegradedAsync(s)).ShouldBeNull();
    }
}

/// <summary>Placement that no node can satisfy is said, not left silently Pending.</summary>
public sealed class PlacementScenarioTests
{
    [Fact]
    public async Task SpotRequired_NoSpotNodes_DegradedNamesTheSchedulersReason()
    {
        var onDemandOnly = NodeShape.DefaultFleet().Where(n => !n.Spot).ToList();
        await using var s = await Scenario.StartAsync(nodes: onDemandOnly);
        s.StartOperator();
        var (cluster, _) = Scenario.Example("minimal");
        await s.Env.ApplyAsync(cluster with { Spec = cluster.Spec! with { CnSpec = new Doris.Api.V1.CnSpec { Replicas = 1, Image = "apache/doris:be-2.1.8", SpotPolicy = "required" } } }, []);

        await s.RunUntilAsync(async () => (await s.ClusterAsync("doris")).Status?.Conditions?.Any(c => c.Type == "Degraded" && c.Status == "True" && c.Message!.Contains("doris-cn-0 cannot be scheduled")) == true, TimeSpan.FromMinutes(2), "unschedulable CN reported");

        var message = (await s.ClusterAsync("doris")).Status!.Conditions!.Single(c => c.Type == "Degraded").Message!;
        message.ShouldContain("didn't match Pod's node affinity/selector");
        message.ShouldContain("add Spot capacity (a Spot node group or Karpenter NodePool) or set spotPolicy: preferred");
        (await s.IsReadyAsync("doris")).ShouldBeFalse();
        await s.RunUntilAsync(() => Task.FromResult(s.Pods("default").Where(p => p.Metadata!.Name is "doris-fe-0" or "doris-be-0").All(p => p.Status?.Phase == "Running")), TimeSpan.FromMinutes(1), "FE and BE running on the on-demand nodes");
        var events = (await s.Env.Client.For(Doris.Kubernetes.Client.ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("default")).Items;
        events.ShouldContain(e => e.Reason == "Degraded" && e.Type == "Warning" && e.Message!.Contains("set spotPolicy: preferred"));
    }

    [Fact]
    public async Task SpotPreferred_NodeGroupCannotLaunchSpot_CnFallsBackToOnDemand()
    {
        var onDemandOnly = NodeShape.DefaultFleet().Where(n => !n.Spot).ToList();
        await using var s = await Scenario.StartAsync(nodes: onDemandOnly);
        s.StartOperator();
        var (cluster, _) = Scenario.Example("minimal");
        await s.Env.ApplyAsync(cluster with { Spec = cluster.Spec! with { CnSpec = new Doris.Api.V1.CnSpec { Replicas = 2, Image = "apache/doris:be-2.1.8", SpotPolicy = "preferred" } } }, []);

        await s.RunUntilAsync(() => s.IsReadyAsync("doris"), TimeSpan.FromMinutes(3), "Ready with CNs on on-demand nodes");

        foreach (var cn in s.Pods("default", "app.kubernetes.io/component=cn"))
        {
            s.Store.Find(TypedStore.Nodes, KubernetesJsonContext.Default.Node, null, cn.Spec!.NodeName!)!.Metadata!.Labels!["karpenter.sh/capacity-type"].ShouldBe("on-demand");
        }
    }
}
