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

    /// <summary>
    /// The production example Ready on the given fleet, with 60 tablets of three replicas; its images on
    /// <paramref name="release"/>, which picks the Doris version the simulated FE answers as.
    /// </summary>
    internal static async Task<Scenario> ProductionAsync(IReadOnlyList<NodeShape> fleet, string release = "2.1.8")
    {
        var s = await Scenario.StartAsync(nodes: fleet);
        s.StartOperator();
        var (cluster, maps) = Scenario.Example("production", "doris");
        cluster = cluster with
        {
            Spec = cluster.Spec! with
            {
                FeSpec = cluster.Spec.FeSpec! with { Image = $"apache/doris:fe-{release}" },
                BeSpec = cluster.Spec.BeSpec! with { Image = $"apache/doris:be-{release}" },
                CnSpec = cluster.Spec.CnSpec! with { Image = $"apache/doris:be-{release}" },
            },
        };
        await OperatorScenarioTests.CreateSecretIfNamed(s, cluster.Spec!.AuthSecret, "doris");
        await s.Env.ApplyAsync(cluster, maps);
        await s.RunUntilAsync(() => s.IsReadyAsync("doris-prod", "doris"), Limit, "Ready");
        s.Env.Cluster.Doris.Model("doris", "doris-prod").SeedTablets(60);
        return s;
    }

    private static async Task<IReadOnlyList<Event>> EventsAsync(Scenario s) =>
        (await s.Env.Client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("doris")).Items;

    [Theory]
    [InlineData("2.1.8")]
    [InlineData("3.0.3")]
    public async Task SpotInterruption_NodeWithTwoCns_BothDroppedFromTheFeAndMovedBeforeTheKill(string release)
    {
        // One Spot node, so both CNs share it; Karpenter launches a replacement when the notice comes.
        var fleet = NodeShape.DefaultFleet().Where(n => !n.Spot).Append(SpotNode("spot-a", "us-east-1a")).ToList();
        await using var s = await ProductionAsync(fleet, release);
        var doris = s.Env.Cluster.Doris.Model("doris", "doris-prod");
        doris.Version.ShouldBe(Doris.Simulation.Processes.DorisVersions.FromImage(release));
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
            doris.Statements.ShouldNotContain(x => x.StartsWith("ALTER SYSTEM DROP BACKEND", StringComparison.Ordinal), "Doris refuses DROP BACKEND; DROPP or the FE itself drops it");
        }

        var drains = s.Env.Operators.Single().Host.Drains.Records;
        drains.Count.ShouldBe(2);
        drains.ShouldAllBe(d => d.Finished && d.InBudget && d.Budget == TimeSpan.FromMinutes(2));
        (await EventsAsync(s)).Count(e => e.Reason == "Drained" && e.Message!.Contains("of the 120s notice")).ShouldBe(2);

        await s.RunUntilAsync(async () => await s.IsReadyAsync("doris-prod", "doris") && doris.Backends().Count(b => b.Role == "computation" && b.Alive) == 2, Limit, "CNs back on the new Spot node and registered");
        s.Pods("doris", "app.kubernetes.io/component=cn").ShouldAllBe(p => p.Spec!.NodeName == "spot-b");
        doris.LostTablets().ShouldBe(0);
    }

    [Theory]
    [InlineData("2.1.8")]
    [InlineData("3.0.3")]
    public async Task Cordon_BeNodeWithEveryTabletReplicated_CheckedWithTheFeAndNothingLost(string release)
    {
        await using var s = await ProductionAsync(NodeShape.DefaultFleet(), release);
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

/// <summary>Karpenter recycling every BE node at once: the BE PodDisruptionBudget is what keeps the data.</summary>
public sealed class KarpenterRecycleScenarioTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(6);

    private static IEnumerable<NodeShape> Replacements() =>
        new[] { "a", "b", "c" }.Select(z => new NodeShape($"ip-10-0-9{z[0] - 'a'}-30.ec2.internal", "us-east-1" + z, "r6i.4xlarge", false, 16, 128, 234));

    private static async Task<(Scenario S, Doris.Simulation.Processes.DorisModel Doris, List<string> BeNodes)> StartAsync(bool budgets)
    {
        var s = await Scenario.StartAsync();
        s.StartOperator();
        var (cluster, maps) = Scenario.Example("production", "doris");
        if (!budgets)
        {
            cluster = cluster with { Spec = cluster.Spec! with { BeSpec = cluster.Spec.BeSpec! with { EnablePodDisruptionBudget = false } } };
        }

        await OperatorScenarioTests.CreateSecretIfNamed(s, cluster.Spec!.AuthSecret, "doris");
        await s.Env.ApplyAsync(cluster, maps);
        await s.RunUntilAsync(() => s.IsReadyAsync("doris-prod", "doris"), Limit, "Ready");
        var doris = s.Env.Cluster.Doris.Model("doris", "doris-prod");
        doris.SeedTablets(60);
        var nodes = s.Pods("doris", "app.kubernetes.io/component=be").Select(p => p.Spec!.NodeName!).Distinct().ToList();
        nodes.Count.ShouldBe(3, "one BE per node");
        return (s, doris, nodes);
    }

    [Fact]
    public async Task RecycleThreeBeNodes_WithTheBudget_OneBeAtATimeAndNoTabletLosesAllReplicas()
    {
        var (s, doris, nodes) = await StartAsync(budgets: true);
        await using var _ = s;

        s.Env.Cluster.Recycle(nodes, Replacements());
        var mostDown = 0;
        await s.RunUntilAsync(async () =>
        {
            doris.LostTablets().ShouldBe(0, "a tablet lost every live replica");
            var down = s.Pods("doris", "app.kubernetes.io/component=be").Count(p => p.Metadata!.DeletionTimestamp is not null || p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") != true);
            mostDown = Math.Max(mostDown, down + (3 - s.Pods("doris", "app.kubernetes.io/component=be").Count));
            return nodes.All(n => s.Store.Find(TypedStore.Nodes, KubernetesJsonContext.Default.Node, null, n) is null) && await s.IsReadyAsync("doris-prod", "doris");
        }, Limit, "every BE node recycled and the cluster Ready");

        mostDown.ShouldBe(1, "the BE budget lets one BE go at a time");
        var events = (await s.Env.Client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("doris")).Items;
        events.ShouldContain(e => e.Reason == "DrainChecked");
        events.Where(e => e.Reason == "TabletsAtRisk").Select(e => e.Message).ShouldBeEmpty("a paced recycle of healthy BEs is safe and must not cry wolf");
        s.Env.Cluster.KarpenterEvictionsBlocked.ShouldBeGreaterThan(0, "evictions of the other BEs were refused while one was away");
        var evictions = s.Env.Cluster.KarpenterEvictions.Where(e => e.Pod.Contains("-be-", StringComparison.Ordinal)).ToList();
        evictions.Count.ShouldBe(3);
        evictions.Select(e => e.At).Distinct().Count().ShouldBe(3, "never two BEs evicted in the same instant");
        s.Pods("doris", "app.kubernetes.io/component=be").ShouldAllBe(p => !nodes.Contains(p.Spec!.NodeName!));
    }

    [Fact]
    public async Task RecycleThreeBeNodes_WithoutTheBudget_AllBesGoTogetherAndTabletsLoseEveryReplica()
    {
        var (s, doris, nodes) = await StartAsync(budgets: false);
        await using var _ = s;

        s.Env.Cluster.Recycle(nodes, Replacements());
        var worstLost = 0;
        await s.RunForAsync(TimeSpan.FromSeconds(30), () =>
        {
            worstLost = Math.Max(worstLost, doris.LostTablets());
            return Task.CompletedTask;
        });

        worstLost.ShouldBeGreaterThan(0, "the outage the budget exists to prevent (as in the StarRocks incident)");
        s.Env.Cluster.KarpenterEvictions.Count(e => e.Pod.Contains("-be-", StringComparison.Ordinal)).ShouldBe(3);
    }
}

/// <summary>CN autoscaling through the DorisCluster's scale subresource: the operator decommissions CNs before their pods go.</summary>
public sealed class AutoscaleScenarioTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task HpaScaleDown_Cn_DecommissionedAndDroppedBeforeTheirPodsGo()
    {
        await using var s = await Scenario.StartAsync();
        s.StartOperator();
        var (cluster, maps) = Scenario.Example("production", "doris");
        await OperatorScenarioTests.CreateSecretIfNamed(s, cluster.Spec!.AuthSecret, "doris");
        await s.Env.ApplyAsync(cluster, maps);
        await s.RunUntilAsync(() => s.IsReadyAsync("doris-prod", "doris"), Limit, "Ready");
        var doris = s.Env.Cluster.Doris.Model("doris", "doris-prod");

        s.Env.Cluster.Autoscale("doris", "doris-prod-cn-autoscaler", 4).ShouldBe(4);
        await s.RunUntilAsync(async () => await s.IsReadyAsync("doris-prod", "doris") && doris.Backends().Count(b => b.Role == "computation" && b.Alive) == 4, Limit, "scaled out to 4 CNs");
        (await s.ClusterAsync("doris-prod", "doris")).Status!.CnStatus!.Replicas.ShouldBe(4, "the scale subresource's status.replicas");

        s.Env.Cluster.Autoscale("doris", "doris-prod-cn-autoscaler", 1).ShouldBe(2, "clamped to minReplicas");
        await s.RunUntilAsync(async () =>
        {
            // Invariant at every step: a CN pod on its way out is no longer a member the FE sends queries to.
            foreach (var leaving in s.Pods("doris", "app.kubernetes.io/component=cn").Where(p => p.Metadata!.DeletionTimestamp is not null))
            {
                doris.Backends().ShouldNotContain(b => b.Host.StartsWith(leaving.Metadata!.Name + ".", StringComparison.Ordinal), $"{leaving.Metadata!.Name} is terminating while still registered");
            }

            return s.Pods("doris", "app.kubernetes.io/component=cn").Count == 2 && await s.IsReadyAsync("doris-prod", "doris");
        }, Limit, "scaled in to 2 CNs");

        foreach (var cn in new[] { "doris-prod-cn-2", "doris-prod-cn-3" })
        {
            doris.Statements.ShouldContain(x => x.StartsWith("ALTER SYSTEM DECOMMISSION BACKEND", StringComparison.Ordinal) && x.Contains(cn));
            doris.Statements.ShouldNotContain(x => x.StartsWith("ALTER SYSTEM DROP BACKEND", StringComparison.Ordinal), "Doris refuses DROP BACKEND; DROPP or the FE itself drops it");
        }

        doris.Backends().Where(b => b.Role == "computation").Select(b => b.Host.Split('.')[0]).Order().ShouldBe(["doris-prod-cn-0", "doris-prod-cn-1"]);
        (await s.ClusterAsync("doris-prod", "doris")).Spec!.CnSpec!.Replicas.ShouldBe(2);
    }
}

/// <summary>enableZoneLocationTags: each BE's and CN's tag.location follows its node's zone, also after a CN moves.</summary>
public sealed class LocationTagScenarioTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Theory]
    [InlineData("us-east-1a", "us_east_1a")]
    [InlineData("1a", "zone_1a")]
    [InlineData("eu-central-1-wl1-ber-wlz-1a-extra-long", "eu_central_1_wl1_ber_wlz_1a_extr")]
    public void LocationTag_FromZone_IsAValidDorisTag(string zone, string tag)
    {
        Doris.Sql.Admin.LocationTag.FromZone(zone).ShouldBe(tag);
        Doris.Sql.Admin.LocationTag.IsValid(tag).ShouldBeTrue();
        Doris.Sql.Admin.LocationTag.IsValid("us-east-1a").ShouldBeFalse();
    }

    [Fact]
    public async Task ZoneTags_On_EveryMemberTaggedWithItsZone_AndRetaggedWhenACnMoves()
    {
        var fleet = NodeShape.DefaultFleet().Where(n => !n.Spot).Append(new NodeShape("spot-a", "us-east-1a", "m6i.8xlarge", true, 32, 128, 234) { Taints = [new Taint { Key = "node.spotmax/type", Value = "spot", Effect = "NoSchedule" }] }).ToList();
        await using var s = await Scenario.StartAsync(nodes: fleet);
        s.StartOperator();
        var (cluster, maps) = Scenario.Example("production", "doris");
        await OperatorScenarioTests.CreateSecretIfNamed(s, cluster.Spec!.AuthSecret, "doris");
        await s.Env.ApplyAsync(cluster with { Spec = cluster.Spec with { EnableZoneLocationTags = true } }, maps);
        var doris = s.Env.Cluster.Doris.Model("doris", "doris-prod");
        string ZoneOf(string podName) =>
            s.Store.Find(TypedStore.Nodes, KubernetesJsonContext.Default.Node, null, s.Pods("doris").Single(p => p.Metadata!.Name == podName).Spec!.NodeName!)!.Metadata!.Labels!["topology.kubernetes.io/zone"].Replace('-', '_');
        bool AllTagged() => doris.Backends().Count == 5 && doris.Backends().All(b => b.Location == ZoneOf(b.Host.Split('.')[0]));

        await s.RunUntilAsync(async () => await s.IsReadyAsync("doris-prod", "doris") && AllTagged(), Limit, "every BE and CN tagged with its zone");
        doris.Backends().Select(b => b.Location).Distinct().Count().ShouldBeGreaterThan(1, "BEs spread over zones");
        var statements = doris.Statements.Count;
        await s.RunForAsync(TimeSpan.FromSeconds(30));
        doris.Statements.Count.ShouldBe(statements, "a steady cluster sends no SQL");

        s.Env.Cluster.InterruptSpot("spot-a");
        s.Env.Cluster.AddNodes([new NodeShape("spot-c", "us-east-1c", "m6i.8xlarge", true, 32, 128, 234) { Taints = [new Taint { Key = "node.spotmax/type", Value = "spot", Effect = "NoSchedule" }] }]);
        await s.RunUntilAsync(async () => await s.IsReadyAsync("doris-prod", "doris") && s.Pods("doris", "app.kubernetes.io/component=cn").All(p => p.Spec!.NodeName == "spot-c") && AllTagged(), Limit, "CNs retagged in their new zone");

        doris.Backends().Where(b => b.Role == "computation").ShouldAllBe(b => b.Location == "us_east_1c");
        doris.Statements.ShouldContain(x => x.Contains("disable_query", StringComparison.Ordinal), "CNs stop taking queries before they are decommissioned");
    }

    // Doris places and repairs replicas only on BEs whose tag.location the allocation names (Tablet.getHealth,
    // TabletScheduler): with tables on the default allocation, moving every BE to its zone would leave their tablets
    // unrepairable. The BEs such tables still need keep 'default', the reason is in Degraded, CNs are tagged anyway.
    [Theory]
    [InlineData("2.1.8")]
    [InlineData("3.0.3")]
    public async Task ZoneTags_TurnedOnWithDefaultAllocatedTables_KeepsTheBesTheyNeedAndSaysWhy(string release)
    {
        await using var s = await SpotDrainScenarioTests.ProductionAsync(NodeShape.DefaultFleet(), release);
        var doris = s.Env.Cluster.Doris.Model("doris", "doris-prod");

        await s.Env.Clusters.PatchAsync("doris", "doris-prod", PatchType.Merge, "{\"spec\":{\"enableZoneLocationTags\":true}}");
        await s.RunUntilAsync(async () => (await s.ClusterAsync("doris-prod", "doris")).Status?.Conditions?.Any(c => c.Type == "Degraded" && c.Message!.Contains("keeps tag.location 'default'")) == true
            && doris.Backends().Where(b => b.Role == "computation").All(b => b.Location != "default"), Limit, "BEs kept in default, CNs tagged");
        await s.RunForAsync(TimeSpan.FromSeconds(20), () =>
        {
            doris.LostTablets().ShouldBe(0);
            return Task.CompletedTask;
        });

        doris.Backends().Where(b => b.Role == "mix").ShouldAllBe(b => b.Location == "default", "three replicas in 'default' need all three BEs there");
        var degraded = (await s.ClusterAsync("doris-prod", "doris")).Status!.Conditions!.Single(c => c.Type == "Degraded").Message!;
        degraded.ShouldContain("table sim_db.sim_table keeps 3 replicas in 'default' and only 2 BE(s) would stay there");
        doris.Execute("SHOW PROC '/cluster_health/tablet_health'").Rows![^1][3].ShouldBe("60", "every tablet still healthy");
    }
}
