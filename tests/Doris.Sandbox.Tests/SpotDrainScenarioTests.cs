using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;

namespace Doris.Sandbox.Tests;

/// <summary>The operator acting on drain signals: CNs taken off before the kill, BEs checked against their tablets.</summary>
public sealed class SpotDrainScenarioTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    private static NodeShape SpotNode(string name, string zone) =>
        new(name, zone, "m6i.8xlarge", true, 32, 128, 234) { Taints = [new Taint { Key = "node.spotmax/type", Value = "spot", Effect = "NoSchedule" }] };

    private static async Task<Scenario> ProductionAsync(IReadOnlyList<NodeShape> fleet)
    {
        var s = await Scenario.StartAsync(nodes: fleet);
        s.StartOperator();
        var (cluster, maps) = Scenario.Example("production", "doris");
        await OperatorScenarioTests.CreateSecretIfNamed(s, cluster.Spec!.AuthSecret, "doris");
        await s.Env.ApplyAsync(cluster, maps);
        await s.RunUntilAsync(() => s.IsReadyAsync("doris-prod", "doris"), Limit, "Ready");
        s.Env.Cluster.Doris.Model("doris", "doris-prod").SeedTablets(60);
        return s;
    }

    private static async Task<IReadOnlyList<Event>> EventsAsync(Scenario s) =>
        (await s.Env.Client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("doris")).Items;

    [Fact]
    public async Task SpotInterruption_NodeWithTwoCns_BothDroppedFromTheFeAndMovedBeforeTheKill()
    {
        // One Spot node, so both CNs share it; Karpenter launches a replacement when the notice comes.
        var fleet = NodeShape.DefaultFleet().Where(n => !n.Spot).Append(SpotNode("spot-a", "us-east-1a")).ToList();
        await using var s = await ProductionAsync(fleet);
        var doris = s.Env.Cluster.Doris.Model("doris", "doris-prod");
        var cns = s.Pods("doris", "app.kubernetes.io/component=cn");
        cns.Count.ShouldBe(2);
        cns.ShouldAllBe(p => p.Spec!.NodeName == "spot-a");
        var uids = cns.Select(p => p.Metadata!.Uid!).ToHashSet();

        s.Env.Cluster.InterruptSpot("spot-a");
        s.Env.Cluster.AddNodes([SpotNode("spot-b", "us-east-1b")]);
        var kill = s.Env.Cluster.PendingTerminations["spot-a"];

        var took = await s.RunUntilAsync(() => Task.FromResult(!s.Pods("doris", "app.kubernetes.io/component=cn").Any(p => uids.Contains(p.Metadata!.Uid!))), Limit, "both CN pods taken off");

        s.Clock.GetUtcNow().ShouldBeLessThan(kill, "taken off before EC2 reclaims the node");
        took.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        doris.Backends().Where(b => b.Role == "computation").ShouldBeEmpty("the FE's query targets no longer include the CNs on the doomed node");
        foreach (var cn in new[] { "doris-prod-cn-0", "doris-prod-cn-1" })
        {
            doris.Statements.ShouldContain(x => x.StartsWith("ALTER SYSTEM DECOMMISSION BACKEND", StringComparison.Ordinal) && x.Contains(cn));
            doris.Statements.ShouldContain(x => x.StartsWith("ALTER SYSTEM DROP BACKEND", StringComparison.Ordinal) && x.Contains(cn));
        }

        var drains = s.Env.Operators.Single().Host.Drains.Records;
        drains.Count.ShouldBe(2);
        drains.ShouldAllBe(d => d.Finished && d.InBudget && d.Budget == TimeSpan.FromMinutes(2));
        (await EventsAsync(s)).Count(e => e.Reason == "Drained" && e.Message!.Contains("of the 120s notice")).ShouldBe(2);

        await s.RunUntilAsync(async () => await s.IsReadyAsync("doris-prod", "doris") && doris.Backends().Count(b => b.Role == "computation" && b.Alive) == 2, Limit, "CNs back on the new Spot node and registered");
        s.Pods("doris", "app.kubernetes.io/component=cn").ShouldAllBe(p => p.Spec!.NodeName == "spot-b");
        doris.LostTablets().ShouldBe(0);
    }

    [Fact]
    public async Task Cordon_BeNodeWithEveryTabletReplicated_CheckedWithTheFeAndNothingLost()
    {
        await using var s = await ProductionAsync(NodeShape.DefaultFleet());
        var doris = s.Env.Cluster.Doris.Model("doris", "doris-prod");
        var be1 = s.Pods("doris").Single(p => p.Metadata!.Name == "doris-prod-be-1");

        s.Env.Cluster.Cordon(be1.Spec!.NodeName!);
        await s.RunUntilAsync(async () => (await EventsAsync(s)).Any(e => e.Reason == "DrainChecked"), Limit, "BE drain checked");
        await s.RunForAsync(TimeSpan.FromSeconds(20), () =>
        {
            doris.LostTablets().ShouldBe(0);
            return Task.CompletedTask;
        });

        (await EventsAsync(s)).Single(e => e.Reason == "DrainChecked").Message!.ShouldContain("every tablet keeps a healthy replica on another BE");
        (await EventsAsync(s)).ShouldNotContain(e => e.Reason == "TabletsAtRisk");
        s.Pods("doris", "app.kubernetes.io/component=be").Count.ShouldBe(3, "a BE is never removed by the drain handling");
        doris.Backends().Count(b => b.Role == "mix").ShouldBe(3);
    }

    [Fact]
    public async Task Cordon_BeNodeWhileAnotherBeIsDown_ReportedLoudlyAsTabletsAtRisk()
    {
        await using var s = await ProductionAsync(NodeShape.DefaultFleet());
        var doris = s.Env.Cluster.Doris.Model("doris", "doris-prod");
        doris.ReplicationNum = 2;
        doris.Down.Add("doris-prod-be-2");
        var be1 = s.Pods("doris").Single(p => p.Metadata!.Name == "doris-prod-be-1");

        s.Env.Cluster.Cordon(be1.Spec!.NodeName!);
        await s.RunUntilAsync(async () => (await EventsAsync(s)).Any(e => e.Reason == "TabletsAtRisk"), Limit, "risk reported");

        var warning = (await EventsAsync(s)).First(e => e.Reason == "TabletsAtRisk");
        warning.Type.ShouldBe("Warning");
        warning.Message!.ShouldContain("TABLETS AT RISK");
        warning.Message!.ShouldContain("doris-prod-be-1");
        warning.Message!.ShouldContain("doris-prod-be-2");
        (await s.ClusterAsync("doris-prod", "doris")).Status!.Conditions!.Single(c => c.Type == "Degraded").Message!.ShouldContain("TABLETS AT RISK");
    }
}
