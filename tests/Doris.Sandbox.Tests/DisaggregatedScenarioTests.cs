using Doris.Api.Disaggregated;
using Doris.Testing;
using Doris.Api.Naming;
using Doris.Api.Validation.Disaggregated;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;
using Doris.Simulation.Processes;

namespace Doris.Sandbox.Tests;

/// <summary>
/// A DorisDisaggregatedCluster (examples/disaggregated.yaml: two compute groups, "burst" on Spot) run by the real
/// operator on the simulated cluster, with the simulated FE answering SQL for its compute groups.
/// </summary>
public sealed class DisaggregatedScenarioTests
{
    private const string Ns = "doris";
    private const string Name = "doris-sc";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    internal static DorisDisaggregatedCluster Example()
    {
        var text = File.ReadAllText(Path.Combine(SharedFiles.RepositoryRoot, "examples", "disaggregated.yaml"));
        var read = DisaggregatedClusterReader.Read(YamlReader.Read(text, "disaggregated.yaml").Single());
        read.HasErrors.ShouldBeFalse(string.Join("; ", read.Issues));
        return read.Cluster!;
    }

    private static async Task<Scenario> ReadyAsync()
    {
        var s = await Scenario.StartAsync();
        s.StartOperator();
        await s.Env.ApplyAsync(Example(), []);
        await s.RunUntilAsync(() => IsReadyAsync(s), Limit, "DorisDisaggregatedCluster Ready");
        return s;
    }

    private static async Task<bool> IsReadyAsync(Scenario s)
    {
        var c = await s.Env.DisaggregatedClusters.GetAsync(Ns, Name);
        return c.Status?.ObservedGeneration == c.Metadata!.Generation && c.Status?.Conditions?.Any(x => x.Type == "Ready" && x.Status == "True") == true;
    }

    private static DorisModel Fe(Scenario s) => s.Env.Cluster.Doris.DisaggregatedModel(Ns, Name);

    private static StatefulSet? Set(Scenario s, string name) => s.Store.Find(TypedStore.StatefulSets, KubernetesJsonContext.Default.StatefulSet, Ns, name);

    private static async Task SetGroupsAsync(Scenario s, Func<IReadOnlyList<ComputeGroup>, IReadOnlyList<ComputeGroup>> change)
    {
        var live = await s.Env.DisaggregatedClusters.GetAsync(Ns, Name);
        await s.Env.DisaggregatedClusters.ReplaceAsync(live with { Spec = live.Spec! with { ComputeGroups = change(live.Spec.ComputeGroups!) } });
    }

    [Fact]
    public async Task ExampleCluster_TwoComputeGroupsOneOnSpot_ReadyInUpstreamOrder()
    {
        await using var s = await ReadyAsync();
        var ddc = await s.Env.DisaggregatedClusters.GetAsync(Ns, Name);
        var status = ddc.Status!;
        status.ClusterHealth!.Health.ShouldBe("green");
        status.ClusterHealth.CgCount.ShouldBe(2);
        status.ClusterHealth.CgFullAvailableCount.ShouldBe(2);
        status.MetaServiceStatus!.Phase.ShouldBe("Ready");
        status.FeStatus!.Phase.ShouldBe("Ready");
        status.ComputeGroupStatuses!.Select(g => (g.UniqueId, g.Phase, g.AvailableReplicas)).ShouldBe([("steady", "Ready", 2), ("burst", "Ready", 3)]);
        status.ComputeGroupStatuses!.ShouldAllBe(g => !string.IsNullOrEmpty(g.ComputeGroupId), "the ids come from SHOW BACKENDS' Tag column");

        // Every member registered with the FE in its own compute group.
        Fe(s).Backends().GroupBy(b => b.ComputeGroupName).Select(g => (g.Key, g.Count())).OrderBy(g => g.Key, StringComparer.Ordinal).ShouldBe([("burst", 3), ("steady", 2)]);

        // spotPolicy: burst on Spot nodes only, steady never.
        var nodes = s.Store.List(TypedStore.Nodes, KubernetesJsonContext.Default.Node).ToDictionary(n => n.Metadata!.Name!);
        var onSpot = new Func<Pod, bool>(p => nodes[p.Spec!.NodeName!].Metadata!.Labels!.GetValueOrDefault(NodeLabels.Type) == NodeLabels.Spot);
        s.Pods(Ns, "app.doris.disaggregated.cg-uniqueid=burst").Select(onSpot).ShouldAllBe(spot => spot);
        s.Pods(Ns, "app.doris.disaggregated.cg-uniqueid=steady").Select(onSpot).ShouldAllBe(spot => !spot);

        // dorisctl's budgets: one per StatefulSet, selecting exactly its pods.
        var budgets = s.Store.List(TypedStore.Budgets, KubernetesJsonContext.Default.PodDisruptionBudget, Ns).ToDictionary(b => b.Metadata!.Name!);
        budgets.Keys.Order(StringComparer.Ordinal).ShouldBe(["doris-sc-burst-pdb", "doris-sc-fe-pdb", "doris-sc-ms-pdb", "doris-sc-steady-pdb"]);
        budgets["doris-sc-burst-pdb"].Spec!.MaxUnavailable!.Text.ShouldBe("25%");
        budgets["doris-sc-burst-pdb"].Status!.ExpectedPods.ShouldBe(3, "the simulated disruption controller counts the group's pods");

        // Upstream's order: the FE only after a meta service pod was Ready, compute groups only after an FE pod was.
        var created = new[] { "doris-sc-ms", "doris-sc-fe", "doris-sc-steady" }.Select(n => Set(s, n)!.Metadata!.CreationTimestamp!.Value).ToList();
        created[1].ShouldBeGreaterThan(created[0]);
        created[2].ShouldBeGreaterThan(created[1]);
    }

    [Fact]
    public async Task ComputeGroup_ScaledIn_MembersDecommissionedAndDroppedBeforeTheirPodsGo()
    {
        await using var s = await ReadyAsync();
        var fe = Fe(s);
        var leaving = new[] { "doris-sc-burst-1", "doris-sc-burst-2" };
        await SetGroupsAsync(s, groups => [.. groups.Select(g => g.UniqueId == "burst" ? g with { Replicas = 1 } : g)]);
        var sawDecommissioning = false;
        await s.RunUntilAsync(async () =>
        {
            var ddc = await s.Env.DisaggregatedClusters.GetAsync(Ns, Name);
            sawDecommissioning |= ddc.Status?.ComputeGroupStatuses?.Any(g => g.UniqueId == "burst" && g.Phase == "Decommissioning") == true;
            var set = Set(s, "doris-sc-burst")!;
            if (set.Spec!.Replicas < 3)
            {
                // The StatefulSet shrinks only once the FE has let both members go.
                fe.Backends().ShouldNotContain(b => leaving.Contains(b.Host.Split('.')[0]), "a member's pod is being removed while the FE still lists it");
            }

            return set.Spec.Replicas == 1 && await IsReadyAsync(s);
        }, Limit, "burst scaled to 1");

        sawDecommissioning.ShouldBeTrue("status said Decommissioning while members drained");
        fe.Statements.ShouldContain(t => t.StartsWith("ALTER SYSTEM DECOMMISSION BACKEND", StringComparison.Ordinal) && leaving.All(l => t.Contains(l, StringComparison.Ordinal)));
        fe.Backends().Count(b => b.ComputeGroupName == "burst").ShouldBe(1);
        var events = (await s.Env.Client.For(Doris.Kubernetes.Client.ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync(Ns)).Items;
        events.ShouldContain(e => e.Reason == "ComputeGroupDecommissioning");
    }

    // FE scale-in: the observer leaves the FE group through SQL before its pod goes (electionNumber 1: fe-1 observes).
    [Fact]
    public async Task Frontend_ScaledIn_ObserverDroppedBeforeItsPodGoes()
    {
        await using var s = await ReadyAsync();
        var fe = Fe(s);
        fe.Frontends().Select(f => (f.Host.Split('.')[0], f.Role)).OrderBy(f => f.Item1, StringComparer.Ordinal).ShouldBe([("doris-sc-fe-0", "FOLLOWER"), ("doris-sc-fe-1", "OBSERVER")]);
        var live = await s.Env.DisaggregatedClusters.GetAsync(Ns, Name);
        await s.Env.DisaggregatedClusters.ReplaceAsync(live with { Spec = live.Spec! with { FeSpec = live.Spec.FeSpec! with { Replicas = 1 } } });
        await s.RunUntilAsync(async () =>
        {
            if (Set(s, "doris-sc-fe")!.Spec!.Replicas < 2)
            {
                fe.Frontends().ShouldNotContain(f => f.Host.StartsWith("doris-sc-fe-1.", StringComparison.Ordinal), "the observer's pod is going while the FE group still lists it");
            }

            return Set(s, "doris-sc-fe")!.Spec!.Replicas == 1 && await IsReadyAsync(s);
        }, Limit, "FE scaled to 1");

        fe.Statements.ShouldContain(t => t.StartsWith("ALTER SYSTEM DROP OBSERVER", StringComparison.Ordinal) && t.Contains("doris-sc-fe-1.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ComputeGroup_RemovedFromSpec_DroppedInSqlBeforeItsStatefulSetGoes()
    {
        await using var s = await ReadyAsync();
        var fe = Fe(s);
        await SetGroupsAsync(s, groups => [.. groups.Where(g => g.UniqueId != "steady")]);
        await s.RunUntilAsync(async () =>
        {
            if (Set(s, "doris-sc-steady") is null)
            {
                fe.Backends().ShouldNotContain(b => b.ComputeGroupName == "steady", "the StatefulSet went while the FE still listed its members");
            }

            return Set(s, "doris-sc-steady") is null && await IsReadyAsync(s);
        }, Limit, "steady removed");

        fe.Statements.Count(t => t.StartsWith("ALTER SYSTEM DROPP BACKEND", StringComparison.Ordinal) && t.Contains("doris-sc-steady-", StringComparison.Ordinal)).ShouldBe(2);
        s.Store.Find(Doris.Simulation.Cluster.TypedStore.StatefulSets, KubernetesJsonContext.Default.StatefulSet, Ns, "doris-sc-burst").ShouldNotBeNull();
        var services = s.Store.Raw.List(new Doris.Kubernetes.Emulator.Registry.ResourceRegistry().Find("", "v1", "services")!, Ns, Doris.Kubernetes.Emulator.Storage.LabelSelector.Everything, null, null, null).Items
            .Select(o => (string)o["metadata"]!["name"]!).ToList();
        services.ShouldNotContain("doris-sc-steady");
        services.ShouldNotContain("doris-sc-steady-external");
        s.Store.List(TypedStore.Budgets, KubernetesJsonContext.Default.PodDisruptionBudget, Ns).Select(b => b.Metadata!.Name).ShouldNotContain("doris-sc-steady-pdb");
        var ddc = await s.Env.DisaggregatedClusters.GetAsync(Ns, Name);
        ddc.Status!.ClusterHealth!.CgCount.ShouldBe(1);
    }

    // The CN drain applied to a compute-group member: decommissioned, dropped once drained, pod deleted so it starts
    // on a node that stays, all inside the two-minute notice; the group is whole again afterwards.
    [Fact]
    public async Task SpotInterruption_OnAComputeGroupMember_DrainedInsideTheNotice()
    {
        await using var s = await ReadyAsync();
        var fe = Fe(s);
        var pod = s.Pods(Ns, "app.doris.disaggregated.cg-uniqueid=burst").OrderBy(p => p.Metadata!.Name, StringComparer.Ordinal).First();
        var node = pod.Spec!.NodeName!;
        s.Env.Cluster.InterruptSpot(node);
        var drains = s.Env.Operators[0].Host.Drains;
        await s.RunUntilAsync(() => Task.FromResult(drains.Records.Any(r => r.Pod == pod.Metadata!.Name)), TimeSpan.FromMinutes(2), "the member's drain");

        var record = drains.Records.Single(r => r.Pod == pod.Metadata!.Name);
        record.Finished.ShouldBeTrue();
        record.InBudget.ShouldBeTrue($"took {record.Took} of the {record.Budget} notice");
        record.Cluster.ShouldBe($"ddc:{Ns}/{Name}");
        fe.Statements.ShouldContain(t => t.StartsWith("ALTER SYSTEM DECOMMISSION BACKEND", StringComparison.Ordinal) && t.Contains(pod.Metadata!.Name!, StringComparison.Ordinal));
        // The pod went only once the FE had let the member go (Doris drops a drained member itself:
        // drop_backend_after_decommission; the operator drops it when Doris does not).
        fe.Backends().ShouldNotContain(b => b.Host.StartsWith(pod.Metadata!.Name + ".", StringComparison.Ordinal), "the member was still registered when its pod was deleted");

        await s.RunUntilAsync(async () => await IsReadyAsync(s) && s.Pods(Ns, "app.doris.disaggregated.cg-uniqueid=burst").Count(p => p.Spec?.NodeName is { } n && n != node) == 3, Limit, "burst whole again off the interrupted node");
        fe.Backends().Count(b => b.ComputeGroupName == "burst").ShouldBe(3, "the replacement registered again through its entrypoint");
    }
}
