using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;
using Doris.Simulation.Processes;

namespace Doris.Sandbox.Tests;

/// <summary>Scale-in through the FE on the simulated cluster, with "no tablet ever lost" checked after every simulated step.</summary>
public sealed class ScaleInScenarioTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    private static async Task<(Scenario S, DorisModel Doris)> ReadyAsync(int be, int fe = 1, int election = 1, int cn = 0, int migrationPerSecond = 20, int? heartbeatPort = null, bool byIp = false, bool feByIp = false, string release = "2.1.8", bool feClaims = false)
    {
        var s = await Scenario.StartAsync();
        s.Env.Cluster.Doris.Configure = m => m.MigrationPerSecond = migrationPerSecond;
        s.StartOperator();
        var (cluster, _) = Scenario.Example("minimal");
        var spec = cluster.Spec! with
        {
            // The image tags pick the release the simulated FE answers as (DorisVersions.FromImage).
            FeSpec = cluster.Spec.FeSpec! with { Image = $"apache/doris:fe-{release}", Replicas = fe, ElectionNumber = election, EnvVars = feByIp ? [new EnvVar { Name = "HOST_TYPE", Value = "IP" }] : null },
            BeSpec = cluster.Spec.BeSpec! with { Image = $"apache/doris:be-{release}", Replicas = be, EnvVars = byIp ? [new EnvVar { Name = "HOST_TYPE", Value = "IP" }] : null },
            CnSpec = cn > 0 ? new CnSpec { Replicas = cn, Image = $"apache/doris:be-{release}", Requests = cluster.Spec.BeSpec.Requests } : null,
        };
        if (feClaims)
        {
            // FE metadata on a claim per pod, as production clusters keep it.
            spec = spec with { FeSpec = spec.FeSpec! with { PersistentVolumes = [new PersistentVolume { Name = "fe-meta", MountPath = "/opt/apache-doris/fe/doris-meta", PersistentVolumeClaimSpec = new PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"], Resources = new VolumeResourceRequirements { Requests = new Dictionary<string, Quantity> { ["storage"] = "10Gi" } } } }] } };
        }

        var maps = new List<ConfigMap>();
        if (heartbeatPort is { } port)
        {
            // be.conf in a ConfigMap, as users write it: the entrypoint registers the BE on this port.
            maps.Add(new ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new ObjectMeta { Name = "be-conf", Namespace = "default" }, Data = new Dictionary<string, string> { ["be.conf"] = $"heartbeat_service_port = {port}\n" } });
            spec = spec with { BeSpec = spec.BeSpec! with { ConfigMapInfo = new ConfigMapInfo { ConfigMapName = "be-conf", ResolveKey = "be.conf" } } };
        }

        await s.Env.ApplyAsync(cluster with { Spec = spec }, maps);
        await s.RunUntilAsync(() => s.IsReadyAsync("doris"), Limit, "Ready");
        var doris = s.Env.Cluster.Doris.Model("default", "doris");
        doris.SeedTablets(60);
        return (s, doris);
    }

    private static Task SetReplicas(Scenario s, string component, int replicas) =>
        s.Env.Clusters.PatchAsync("default", "doris", PatchType.Merge, "{\"spec\":{\"" + component + "Spec\":{\"replicas\":" + replicas.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}}");

    /// <summary>No tablet without a live replica, and no BE pod going away while it still holds tablets.</summary>
    private static Func<Task> Invariants(Scenario s, DorisModel doris) => () =>
    {
        doris.LostTablets().ShouldBe(0, "a tablet lost every live replica");
        var registered = doris.Backends().ToDictionary(b => b.Host.Split('.')[0]);
        foreach (var pod in s.Pods("default", "app.kubernetes.io/component=be").Where(p => p.Metadata!.DeletionTimestamp is not null))
        {
            if (registered.TryGetValue(pod.Metadata!.Name!, out var backend))
            {
                doris.Backends().Single(b => b.Id == backend.Id).ShouldSatisfyAllConditions(b => b.Decommissioned.ShouldBeTrue($"{pod.Metadata.Name} deleted while still a full member"));
            }
        }

        return Task.CompletedTask;
    };

    private static async Task RunUntilCheckedAsync(Scenario s, DorisModel doris, Func<Task<bool>> done, string what)
    {
        var invariants = Invariants(s, doris);
        await s.RunUntilAsync(async () =>
        {
            await invariants();
            return await done();
        }, Limit, what);
    }

    private static int Tablets(DorisModel doris, string pod) => doris.Execute("SHOW BACKENDS").Rows!.Where(r => r[1]!.StartsWith(pod + ".", StringComparison.Ordinal)).Select(r => int.Parse(r[11]!, System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();

    // With drop_backend_after_decommission (Doris's default) the FE drops an emptied BE itself and the operator finds
    // it gone; without it the operator drops it with DROPP (Doris refuses DROP). Either way nothing is lost.
    [Theory]
    [InlineData(true, "2.1.8")]
    [InlineData(false, "2.1.8")]
    [InlineData(true, "3.0.3")]
    [InlineData(false, "3.0.3")]
    public async Task Be5To3_Replication3_DecommissionsWaitsDropsThenShrinks(bool feDropsItself, string release)
    {
        var (s, doris) = await ReadyAsync(be: 5, release: release);
        await using var _ = s;
        doris.Version.ShouldBe(DorisVersions.FromImage(release));
        doris.DropBackendAfterDecommission = feDropsItself;
        Tablets(doris, "doris-be-4").ShouldBeGreaterThan(0);

        await SetReplicas(s, "be", 3);
        await RunUntilCheckedAsync(s, doris, async () => s.Pods("default", "app.kubernetes.io/component=be").Count == 3 && doris.Backends().Count == 3 && await s.IsReadyAsync("doris"), "BE scaled in to 3");

        doris.Statements.ShouldContain(x => x.StartsWith("ALTER SYSTEM DECOMMISSION BACKEND", StringComparison.Ordinal) && x.Contains("doris-be-4", StringComparison.Ordinal) && x.Contains("doris-be-3", StringComparison.Ordinal));
        doris.Statements.ShouldNotContain(x => x.StartsWith("ALTER SYSTEM DROP BACKEND", StringComparison.Ordinal), "Doris refuses DROP BACKEND");
        var dropped = doris.Statements.Count(x => x.StartsWith("ALTER SYSTEM DROPP BACKEND", StringComparison.Ordinal));
        if (!feDropsItself)
        {
            dropped.ShouldBe(2);
        }

        doris.TabletCount.ShouldBe(60);
        var events = (await s.Env.Client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("default")).Items;
        events.ShouldContain(e => e.Reason == "Decommissioning");
        events.Count(e => e.Reason == "MemberDropped").ShouldBe(dropped);
        (await s.ClusterAsync("doris")).Status!.Conditions!.Single(c => c.Type == "Decommissioning").Status.ShouldBe("False");
    }

    // The official entrypoint registers a BE with be.conf's heartbeat_service_port; the operator must address it so.
    [Fact]
    public async Task Be4To3_HeartbeatPortFromBeConf_DecommissionsOnThatPort()
    {
        var (s, doris) = await ReadyAsync(be: 4, heartbeatPort: 9150);
        await using var _ = s;
        doris.Backends().ShouldAllBe(b => b.HeartbeatPort == 9150);

        await SetReplicas(s, "be", 3);
        await RunUntilCheckedAsync(s, doris, async () => s.Pods("default", "app.kubernetes.io/component=be").Count == 3 && doris.Backends().Count == 3 && await s.IsReadyAsync("doris"), "BE scaled in to 3");

        doris.Statements.ShouldContain(x => x.StartsWith("ALTER SYSTEM DECOMMISSION BACKEND", StringComparison.Ordinal) && x.Contains("doris-be-3", StringComparison.Ordinal) && x.Contains(":9150", StringComparison.Ordinal));
        doris.TabletCount.ShouldBe(60);
    }

    // be_entrypoint.sh registers by pod IP with HOST_TYPE=IP: the members must be found by IP, or a scale-in would
    // shrink the StatefulSet without a decommission and lose the tablets on the removed BE.
    [Fact]
    public async Task Be4To3_RegisteredByPodIp_DecommissionedByItsIpAndNothingLost()
    {
        var (s, doris) = await ReadyAsync(be: 4, byIp: true);
        await using var _ = s;
        var be3 = s.Pods("default").Single(p => p.Metadata!.Name == "doris-be-3").Status!.PodIP!;
        doris.Backends().ShouldContain(b => b.Host == be3, "registered by IP");

        await SetReplicas(s, "be", 3);
        await s.RunUntilAsync(async () =>
        {
            doris.LostTablets().ShouldBe(0);
            return s.Pods("default", "app.kubernetes.io/component=be").Count == 3 && doris.Backends().Count == 3 && await s.IsReadyAsync("doris");
        }, Limit, "BE scaled in to 3");

        doris.Statements.ShouldContain(x => x.StartsWith("ALTER SYSTEM DECOMMISSION BACKEND", StringComparison.Ordinal) && x.Contains($"\"{be3}:9050\"", StringComparison.Ordinal));
        doris.Backends().ShouldNotContain(b => b.Host == be3);
        doris.TabletCount.ShouldBe(60);
    }

    // fe_entrypoint.sh joins by pod IP with HOST_TYPE=IP: an observer must be found and dropped by its IP.
    [Fact]
    public async Task FeObserverScaleIn_RegisteredByPodIp_DroppedByItsIp()
    {
        var (s, doris) = await ReadyAsync(be: 3, fe: 3, election: 1, feByIp: true);
        await using var _ = s;
        var fe2 = s.Pods("default").Single(p => p.Metadata!.Name == "doris-fe-2").Status!.PodIP!;
        doris.Frontends().ShouldContain(f => f.Host == fe2 && f.Role == "OBSERVER");

        await SetReplicas(s, "fe", 2);
        await s.RunUntilAsync(async () => s.Pods("default", "app.kubernetes.io/component=fe").Count == 2 && doris.Frontends().Count == 2 && await s.IsReadyAsync("doris"), Limit, "FE scaled in to 2");

        doris.Statements.ShouldContain($"ALTER SYSTEM DROP OBSERVER \"{fe2}:9010\"");
    }

    [Fact]
    public async Task Be3To2_Replication3_IsRefusedWithTheReasonInStatus()
    {
        var (s, doris) = await ReadyAsync(be: 3);
        await using var _ = s;

        await SetReplicas(s, "be", 2);
        await s.RunUntilAsync(async () => (await s.ClusterAsync("doris")).Status?.Conditions?.Any(c => c.Type == "Degraded" && c.Status == "True" && c.Message!.Contains("refused")) == true, Limit, "refusal reported");
        await s.RunForAsync(TimeSpan.FromSeconds(30), Invariants(s, doris));

        s.Pods("default", "app.kubernetes.io/component=be").Count.ShouldBe(3, "nothing was removed");
        doris.Backends().ShouldAllBe(b => !b.Decommissioned);
        var degraded = (await s.ClusterAsync("doris")).Status!.Conditions!.Single(c => c.Type == "Degraded").Message!;
        degraded.ShouldContain("table sim_db.sim_table keeps 3 replicas there");
        degraded.ShouldContain("Keep beSpec.replicas at 3");
        var events = (await s.Env.Client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("default")).Items;
        events.Count(e => e.Reason == "ScaleInRefused").ShouldBe(1);
    }

    // The floor is read from the partitions (PartitionsProcDir's ReplicaAllocation), not from an FE config Doris does
    // not have: one table with four replicas holds a five-BE cluster at four, and the refusal names it.
    [Theory]
    [InlineData("2.1.8")]
    [InlineData("3.0.3")]
    public async Task Be5To3_OneTableWithFourReplicas_IsRefusedNamingTheTable(string release)
    {
        var (s, doris) = await ReadyAsync(be: 5, release: release);
        await using var _ = s;
        doris.AddTable("wide", new Dictionary<string, int> { ["default"] = 4 });

        await SetReplicas(s, "be", 3);
        await s.RunUntilAsync(async () => (await s.ClusterAsync("doris")).Status?.Conditions?.Any(c => c.Type == "Degraded" && c.Status == "True" && c.Message!.Contains("refused")) == true, Limit, "refusal reported");
        await s.RunForAsync(TimeSpan.FromSeconds(10), Invariants(s, doris));

        var degraded = (await s.ClusterAsync("doris")).Status!.Conditions!.Single(c => c.Type == "Degraded").Message!;
        degraded.ShouldContain("3 BE(s) would remain in location 'default' but table sim_db.wide keeps 4 replicas there");
        doris.Backends().ShouldAllBe(b => !b.Decommissioned);
        s.Pods("default", "app.kubernetes.io/component=be").Count.ShouldBe(5);
    }

    [Fact]
    public async Task ScaleInCancelledByScaleOut_DecommissionIsCancelledAndNothingLeaves()
    {
        var (s, doris) = await ReadyAsync(be: 5, migrationPerSecond: 1);
        await using var _ = s;

        await SetReplicas(s, "be", 3);
        await RunUntilCheckedAsync(s, doris, () => Task.FromResult(doris.Backends().Count(b => b.Decommissioned) == 2), "decommission under way");
        await SetReplicas(s, "be", 5);
        await RunUntilCheckedAsync(s, doris, async () => doris.Backends().All(b => !b.Decommissioned) && await s.IsReadyAsync("doris"), "decommission cancelled");

        s.Pods("default", "app.kubernetes.io/component=be").Count.ShouldBe(5);
        doris.Backends().Count.ShouldBe(5);
        doris.Statements.ShouldContain(x => x.StartsWith("CANCEL DECOMMISSION BACKEND", StringComparison.Ordinal));
        doris.Statements.ShouldNotContain(x => x.StartsWith("ALTER SYSTEM DROP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OperatorRestartedMidDecommission_SuccessorFinishesIt()
    {
        var (s, doris) = await ReadyAsync(be: 5, migrationPerSecond: 2);
        await using var _ = s;

        await SetReplicas(s, "be", 4);
        await RunUntilCheckedAsync(s, doris, () => Task.FromResult(doris.Backends().Any(b => b.Decommissioned)), "decommission under way");
        await s.Env.Operators.Single().KillAsync();
        await s.RunForAsync(TimeSpan.FromSeconds(5), Invariants(s, doris));
        s.StartOperator("op-b");

        await RunUntilCheckedAsync(s, doris, async () => s.Pods("default", "app.kubernetes.io/component=be").Count == 4 && doris.Backends().Count == 4 && await s.IsReadyAsync("doris"), "scale-in finished by the successor");
        doris.Statements.ShouldNotContain(x => x.StartsWith("ALTER SYSTEM DROP BACKEND", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FrontendUnreachable_NothingIsRemovedUntilItAnswers()
    {
        var (s, doris) = await ReadyAsync(be: 4);
        await using var _ = s;
        doris.FrontendDown = true;

        await SetReplicas(s, "be", 3);
        await s.RunUntilAsync(async () => (await s.ClusterAsync("doris")).Status?.Conditions?.Any(c => c.Type == "Degraded" && c.Message!.Contains("no member was removed")) == true, Limit, "FE outage reported");
        await s.RunForAsync(TimeSpan.FromSeconds(20), Invariants(s, doris));
        s.Pods("default", "app.kubernetes.io/component=be").Count.ShouldBe(4);

        doris.FrontendDown = false;
        await RunUntilCheckedAsync(s, doris, async () => s.Pods("default", "app.kubernetes.io/component=be").Count == 3 && await s.IsReadyAsync("doris"), "scale-in after the FE came back");
    }

    [Theory]
    [InlineData("2.1.8")]
    [InlineData("3.0.3")]
    public async Task CnScaleIn_ComputeNodesAreDecommissionedAndDroppedBeforeTheirPodsGo(string release)
    {
        var (s, doris) = await ReadyAsync(be: 3, cn: 3, release: release);
        await using var _ = s;
        doris.Backends().Count(b => b.Role == "computation").ShouldBe(3);

        await SetReplicas(s, "cn", 1);
        await RunUntilCheckedAsync(s, doris, async () => s.Pods("default", "app.kubernetes.io/component=cn").Count == 1 && await s.IsReadyAsync("doris"), "CN scaled in");

        doris.Backends().Count(b => b.Role == "computation").ShouldBe(1);
        doris.Statements.ShouldNotContain(x => x.StartsWith("ALTER SYSTEM DROP BACKEND", StringComparison.Ordinal), "Doris refuses DROP BACKEND");
    }

    [Fact]
    public async Task FeObservers5To3_ObserversDroppedFirst_QuorumKept()
    {
        var (s, doris) = await ReadyAsync(be: 3, fe: 5, election: 3);
        await using var _ = s;
        doris.Frontends().Count(f => f.Role == "OBSERVER").ShouldBe(2);

        await SetReplicas(s, "fe", 3);
        await RunUntilCheckedAsync(s, doris, async () =>
        {
            doris.Frontends().Count(f => f.Role == "FOLLOWER" && f.Alive).ShouldBeGreaterThanOrEqualTo(2, "follower quorum");
            return s.Pods("default", "app.kubernetes.io/component=fe").Count == 3 && await s.IsReadyAsync("doris");
        }, "FE observers removed");

        doris.Frontends().ShouldAllBe(f => f.Role == "FOLLOWER");
        doris.Statements.Count(x => x.StartsWith("ALTER SYSTEM DROP OBSERVER", StringComparison.Ordinal)).ShouldBe(2);
    }

    // As upstream: the claims of observers that were scaled away are deleted (here only once they are out of the FE
    // and their pods gone), so scaling up again starts them on fresh metadata and they join as new observers.
    [Fact]
    public async Task FeObserversWithClaims_ScaledDownThenUp_ClaimsRecycledAndObserversRejoin()
    {
        var (s, doris) = await ReadyAsync(be: 3, fe: 5, election: 3, feClaims: true);
        await using var _ = s;
        string[] Claims() => [.. s.Env.Cluster.Store.List(TypedStore.Claims, KubernetesJsonContext.Default.PersistentVolumeClaim, "default").Select(c => c.Metadata!.Name!).Where(n => n.StartsWith("fe-meta-", StringComparison.Ordinal)).Order()];
        Claims().ShouldBe(["fe-meta-doris-fe-0", "fe-meta-doris-fe-1", "fe-meta-doris-fe-2", "fe-meta-doris-fe-3", "fe-meta-doris-fe-4"]);

        await SetReplicas(s, "fe", 3);
        await RunUntilCheckedAsync(s, doris, async () => s.Pods("default", "app.kubernetes.io/component=fe").Count == 3 && Claims().Length == 3 && await s.IsReadyAsync("doris"), "observer claims deleted");
        Claims().ShouldBe(["fe-meta-doris-fe-0", "fe-meta-doris-fe-1", "fe-meta-doris-fe-2"]);

        await SetReplicas(s, "fe", 5);
        await RunUntilCheckedAsync(s, doris, async () => doris.Frontends().Count(f => f.Role == "OBSERVER" && f.Alive) == 2 && await s.IsReadyAsync("doris"), "observers rejoined");
        Claims().Length.ShouldBe(5);
        doris.Frontends().Count(f => f.Role == "FOLLOWER").ShouldBe(3);
    }
}
