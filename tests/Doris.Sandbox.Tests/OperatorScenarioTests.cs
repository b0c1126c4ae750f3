using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;

namespace Doris.Sandbox.Tests;

/// <summary>The operator end to end on the emulator and the simulated cluster, on simulated time.</summary>
public sealed class OperatorScenarioTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    private static async Task<Scenario> ReadyAsync(string example, string ns, string name)
    {
        var s = await Scenario.StartAsync();
        s.StartOperator();
        var (cluster, maps) = Scenario.Example(example, ns);
        await CreateSecretIfNamed(s, cluster.Spec!.AuthSecret, ns);
        await s.Env.ApplyAsync(cluster, maps);
        await s.RunUntilAsync(() => s.IsReadyAsync(name, ns), Limit, "cluster Ready");
        return s;
    }

    internal static async Task CreateSecretIfNamed(Scenario s, string? name, string ns)
    {
        if (name is not null)
        {
            await s.Env.Client.For(ResourceDescriptor.Namespaces, KubernetesJsonContext.Default.Namespace).CreateAsync(new Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new ObjectMeta { Name = ns } });
            await s.Env.Client.For(ResourceDescriptor.Secrets, KubernetesJsonContext.Default.Secret).CreateAsync(new Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new ObjectMeta { Name = name, Namespace = ns }, StringData = new Dictionary<string, string> { ["username"] = "root", ["password"] = "x" } });
        }
    }

    private static Task Patch(Scenario s, string ns, string name, string json) => s.Env.Clusters.PatchAsync(ns, name, PatchType.Merge, json);

    private static Dictionary<string, string> Uids(Scenario s, string ns, string selector) =>
        s.Pods(ns, selector).ToDictionary(p => p.Metadata!.Name!, p => p.Metadata!.Uid!);

    private static int Unavailable(Scenario s, string ns, string selector, int expected) =>
        expected - s.Pods(ns, selector).Count(p => p.Metadata!.DeletionTimestamp is null && p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);

    [Fact]
    public async Task ScaleOut_ParallelPolicy_AllNewPodsStartTogether()
    {
        await using var s = await ReadyAsync("minimal", "default", "doris");

        await Patch(s, "default", "doris", """{"spec":{"beSpec":{"replicas":4}}}""");
        await s.RunUntilAsync(() => Task.FromResult(s.Pods("default", "app.kubernetes.io/component=be").Count > 1), Limit, "first new BE pod");

        var be = s.Pods("default", "app.kubernetes.io/component=be");
        be.Count.ShouldBe(4, "Parallel: every missing ordinal is created in the same pass");
        be.Where(p => p.Metadata!.Name != "doris-be-0").Select(p => p.Metadata!.CreationTimestamp).Distinct().Count().ShouldBe(1);
        await s.RunUntilAsync(() => s.IsReadyAsync("doris"), Limit, "Ready after scale-out");
        (await s.ClusterAsync("doris")).Status!.BeStatus!.ComponentCondition!.Phase.ShouldBe("available");
    }

    [Fact]
    public async Task ConfigChange_RollsOnePodAtATime_AndOnlyTheAffectedComponent()
    {
        await using var s = await ReadyAsync("production", "doris", "doris-prod");
        var fe = Uids(s, "doris", "app.kubernetes.io/component=fe");
        var cn = Uids(s, "doris", "app.kubernetes.io/component=cn");
        var be = Uids(s, "doris", "app.kubernetes.io/component=be");
        var hashBefore = (await s.ClusterAsync("doris-prod", "doris")).Status!.BeStatus!.CoreConfigMapHashValue;
        hashBefore.ShouldNotBeNullOrEmpty();

        var maps = s.Env.Client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap);
        var conf = await maps.GetAsync("doris", "doris-be-conf");
        await maps.ReplaceAsync(conf with { Data = new Dictionary<string, string> { ["be.conf"] = conf.Data!["be.conf"] + "mem_limit = 85%\n" } });

        var maxDown = 0;
        await s.RunUntilAsync(async () =>
        {
            maxDown = Math.Max(maxDown, Unavailable(s, "doris", "app.kubernetes.io/component=be", 3));
            var now = Uids(s, "doris", "app.kubernetes.io/component=be");
            return now.Count == 3 && now.All(p => be[p.Key] != p.Value) && await s.IsReadyAsync("doris-prod", "doris");
        }, Limit, "every BE replaced and the cluster Ready again");

        maxDown.ShouldBe(1, "one BE at a time");
        Uids(s, "doris", "app.kubernetes.io/component=fe").ShouldBe(fe, "FE untouched");
        Uids(s, "doris", "app.kubernetes.io/component=cn").ShouldBe(cn, "CN has its own ConfigMap: untouched");
        (await s.ClusterAsync("doris-prod", "doris")).Status!.BeStatus!.CoreConfigMapHashValue.ShouldNotBe(hashBefore);
        var events = (await s.Env.Client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("doris")).Items;
        events.ShouldContain(e => e.Reason == "ConfigChanged" && e.Message!.Contains("doris-prod-be"));
    }

    // A new cluster's creation is the user's own act and its status says so: no Event. A StatefulSet made again on a
    // cluster that has a status (deleted by hand here) is news: one Created Event naming it.
    [Fact]
    public async Task StatefulSetDeletedByHand_RecreatedWithCreatedEvent_NewClusterHadNone()
    {
        await using var s = await ReadyAsync("minimal", "default", "doris");
        var events = s.Env.Client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event);
        (await events.ListAsync("default")).Items.ShouldNotContain(e => e.Reason == "Created");

        await s.Env.Client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet).DeleteAsync("default", "doris-be");
        await s.RunUntilAsync(async () => (await events.ListAsync("default")).Items.Any(e => e.Reason == "Created"), Limit, "a Created Event");

        (await events.ListAsync("default")).Items.Where(e => e.Reason == "Created").Select(e => e.Message).ShouldBe(["created StatefulSet doris-be"]);
        s.Store.Find(TypedStore.StatefulSets, KubernetesJsonContext.Default.StatefulSet, "default", "doris-be").ShouldNotBeNull();
    }

    [Fact]
    public async Task RestartAnnotation_RecentTime_RollsThatComponent_OldTimeIsRefusedWithAnEvent()
    {
        await using var s = await ReadyAsync("minimal", "default", "doris");
        var fe = Uids(s, "default", "app.kubernetes.io/component=fe");
        var be = Uids(s, "default", "app.kubernetes.io/component=be");

        var stale = s.Clock.GetUtcNow().AddMinutes(-30).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await Patch(s, "default", "doris", "{\"metadata\":{\"annotations\":{\"apache.doris.be/restartedAt\":\"" + stale + "\"}}}");
        await s.RunForAsync(TimeSpan.FromSeconds(20));
        Uids(s, "default", "app.kubernetes.io/component=be").ShouldBe(be, "a time older than ten minutes rolls nothing");
        var events = (await s.Env.Client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("default")).Items;
        events.ShouldContain(e => e.Reason == "RestartTimeInvalid" && e.Message!.Contains(stale));

        var now = s.Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await Patch(s, "default", "doris", "{\"metadata\":{\"annotations\":{\"apache.doris.fe/restartedAt\":\"" + now + "\"}}}");
        await s.RunUntilAsync(async () => Uids(s, "default", "app.kubernetes.io/component=fe") is var n && n.Count == 1 && n.Values.Single() != fe.Values.Single() && await s.IsReadyAsync("doris"), Limit, "FE restarted");

        Uids(s, "default", "app.kubernetes.io/component=be").ShouldBe(be);
        s.Pods("default", "app.kubernetes.io/component=fe").Single().Metadata!.Annotations!["apache.doris.fe/restartedAt"].ShouldBe(now);

        // Level-based: the accepted time stays on the template, so the passing of ten minutes never rolls again.
        var after = Uids(s, "default", "app.kubernetes.io/component=fe");
        s.Clock.Advance(TimeSpan.FromMinutes(11));
        await s.RunForAsync(TimeSpan.FromSeconds(20));
        Uids(s, "default", "app.kubernetes.io/component=fe").ShouldBe(after);
    }

    [Fact]
    public async Task Pause_StopsChangesUntilRemoved()
    {
        await using var s = await ReadyAsync("minimal", "default", "doris");

        await Patch(s, "default", "doris", """{"metadata":{"annotations":{"dorisctl.io/paused":"true"}},"spec":{"beSpec":{"replicas":3}}}""");
        await s.RunForAsync(TimeSpan.FromSeconds(30));
        s.Store.Find(TypedStore.StatefulSets, KubernetesJsonContext.Default.StatefulSet, "default", "doris-be")!.Spec!.Replicas.ShouldBe(1);
        var progressing = (await s.ClusterAsync("doris")).Status!.Conditions!.Single(c => c.Type == "Progressing");
        progressing.Reason.ShouldBe("Paused");
        progressing.Message!.ShouldContain("remove it to resume");

        await Patch(s, "default", "doris", """{"metadata":{"annotations":{"dorisctl.io/paused":null}}}""");
        await s.RunUntilAsync(async () => s.Pods("default", "app.kubernetes.io/component=be").Count == 3 && await s.IsReadyAsync("doris"), Limit, "resumed scale-out");
    }

    [Fact]
    public async Task DebugMode_PodStaysUpUnready_ClusterDegraded_DeletingThePodRecovers()
    {
        await using var s = await ReadyAsync("minimal", "default", "doris");
        var pods = s.Env.Client.For(ResourceDescriptor.Pods, KubernetesJsonContext.Default.Pod);
        var be = await pods.GetAsync("default", "doris-be-0");

        await pods.PatchAsync("default", "doris-be-0", PatchType.Merge, """{"metadata":{"annotations":{"selectdb.com.doris/runmode":"debug"}}}""");
        await s.RunUntilAsync(async () => (await s.ClusterAsync("doris")).Status?.Conditions?.Any(c => c.Type == "Degraded" && c.Status == "True") == true, Limit, "Degraded");

        var debug = s.Store.Find(TypedStore.Pods, KubernetesJsonContext.Default.Pod, "default", "doris-be-0")!;
        debug.Metadata!.Uid.ShouldBe(be.Metadata!.Uid, "debug mode keeps the pod, so the user can exec into it");
        debug.Status!.Phase.ShouldBe("Running");
        var degraded = (await s.ClusterAsync("doris")).Status!.Conditions!.Single(c => c.Type == "Degraded");
        degraded.Message!.ShouldContain("doris-be-0 is in debug mode");

        await pods.DeleteAsync("default", "doris-be-0");
        await s.RunUntilAsync(async () => await s.IsReadyAsync("doris") && (await s.ClusterAsync("doris")).Status!.Conditions!.Single(c => c.Type == "Degraded").Status == "False", Limit, "Ready and no longer Degraded after the debug pod was deleted");
        s.Pods("default", "app.kubernetes.io/component=be").Single().Metadata!.Uid.ShouldNotBe(be.Metadata!.Uid);
    }

    [Fact]
    public async Task InvalidSpec_InvalidConditionAndOneEvent_NothingCreated()
    {
        await using var s = await Scenario.StartAsync();
        s.StartOperator();
        var (cluster, maps) = Scenario.Example("minimal");
        await s.Env.ApplyAsync(cluster with { Spec = cluster.Spec! with { FeSpec = cluster.Spec.FeSpec! with { Replicas = 4, ElectionNumber = 4 } } }, maps);

        await s.RunUntilAsync(async () => (await s.ClusterAsync("doris")).Status?.Conditions?.Any(c => c.Type == "Invalid" && c.Status == "True") == true, Limit, "Invalid");
        await s.RunForAsync(TimeSpan.FromSeconds(20));

        s.Store.List(TypedStore.StatefulSets, KubernetesJsonContext.Default.StatefulSet).ShouldBeEmpty();
        s.Pods().ShouldBeEmpty();
        var events = (await s.Env.Client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("default")).Items;
        events.ShouldHaveSingleItem().Reason.ShouldBe("InvalidSpec");
    }

    [Fact]
    public async Task OperatorKilledMidRollout_SuccessorTakesOverAfterTheLeaseExpires_AndConverges()
    {
        await using var s = await Scenario.StartAsync();
        var first = s.StartOperator("op-a");
        var (cluster, maps) = Scenario.Example("production", "doris");
        await CreateSecretIfNamed(s, cluster.Spec!.AuthSecret, "doris");
        await s.Env.ApplyAsync(cluster, maps);
        await s.RunUntilAsync(() => s.IsReadyAsync("doris-prod", "doris"), Limit, "Ready");
        var be = Uids(s, "doris", "app.kubernetes.io/component=be");

        await Patch(s, "doris", "doris-prod", """{"spec":{"beSpec":{"image":"apache/doris:be-2.1.9"}}}""");
        await s.RunUntilAsync(() => Task.FromResult(Uids(s, "doris", "app.kubernetes.io/component=be").Count(p => be.GetValueOrDefault(p.Key) != p.Value) >= 1), Limit, "rollout under way");
        await first.KillAsync();
        var second = s.StartOperator("op-b");

        await s.RunUntilAsync(async () => s.Pods("doris", "app.kubernetes.io/component=be").All(p => p.Spec!.Containers![0].Image == "apache/doris:be-2.1.9") && await s.IsReadyAsync("doris-prod", "doris"), Limit, "rollout finished by the successor");
        second.Host.IsLeader.ShouldBeTrue();
    }

    [Fact]
    public async Task Delete_ChildrenGarbageCollected_ClaimsKept()
    {
        await using var s = await ReadyAsync("production", "doris", "doris-prod");
        var claims = s.Store.List(TypedStore.Claims, KubernetesJsonContext.Default.PersistentVolumeClaim, "doris").Select(c => c.Metadata!.Name).Order().ToList();
        claims.Count.ShouldBe(12, "3 FE x (meta, log) + 3 BE x (storage, log)");

        await s.Env.Clusters.DeleteAsync("doris", "doris-prod");
        await s.RunUntilAsync(() => Task.FromResult(s.Pods("doris").Count == 0), Limit, "pods gone");

        s.Store.List(TypedStore.StatefulSets, KubernetesJsonContext.Default.StatefulSet, "doris").ShouldBeEmpty();
        s.Env.Server.Store.List(s.Env.Server.Registry.Find("", "v1", "services")!, "doris", Doris.Kubernetes.Emulator.Storage.LabelSelector.Everything, null, null, null).Items.ShouldBeEmpty();
        s.Store.List(TypedStore.Claims, KubernetesJsonContext.Default.PersistentVolumeClaim, "doris").Select(c => c.Metadata!.Name).Order().ToList().ShouldBe(claims);
    }

    [Fact]
    public async Task MissingSecret_PodsWaitAndTheClusterSaysWhich_CreatingItRecovers()
    {
        await using var s = await Scenario.StartAsync();
        s.StartOperator();
        var (cluster, maps) = Scenario.Example("production", "doris");
        await s.Env.ApplyAsync(cluster, maps);

        await s.RunUntilAsync(async () => (await s.ClusterAsync("doris-prod", "doris")).Status?.Conditions?.Any(c => c.Type == "Degraded" && c.Status == "True" && c.Message!.Contains("Secret doris/doris-auth does not exist")) == true, Limit, "Degraded naming the Secret");
        await s.RunForAsync(TimeSpan.FromSeconds(20));
        (await s.IsReadyAsync("doris-prod", "doris")).ShouldBeFalse();
        var events = (await s.Env.Client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("doris")).Items;
        events.Count(e => e.Reason == "Degraded").ShouldBe(1, "reported once while it persists");

        await s.Env.Client.For(ResourceDescriptor.Secrets, KubernetesJsonContext.Default.Secret).CreateAsync(new Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new ObjectMeta { Name = "doris-auth", Namespace = "doris" }, StringData = new Dictionary<string, string> { ["username"] = "root", ["password"] = "x" } });
        await s.RunUntilAsync(() => s.IsReadyAsync("doris-prod", "doris"), Limit, "Ready once the Secret exists");
    }

    [Fact]
    public async Task ClaimTemplateChange_IsReportedNotForced_AndTheRestOfTheSpecStillApplies()
    {
        await using var s = await ReadyAsync("production", "doris", "doris-prod");
        var cluster = await s.ClusterAsync("doris-prod", "doris");
        var be = cluster.Spec!.BeSpec!;
        var volumes = be.PersistentVolumes!.Select(v => v.Name == "be-storage"
            ? v with { PersistentVolumeClaimSpec = v.PersistentVolumeClaimSpec! with { Resources = new VolumeResourceRequirements { Requests = new Dictionary<string, Quantity> { ["storage"] = "1Ti" } } } }
            : v).ToList();
        await s.Env.Clusters.ReplaceAsync(cluster with { Spec = cluster.Spec with { BeSpec = be with { PersistentVolumes = volumes, Image = "apache/doris:be-2.1.9" } } });

        await s.RunUntilAsync(async () => (await s.ClusterAsync("doris-prod", "doris")).Status?.Conditions?.Any(c => c.Type == "Degraded" && c.Status == "True" && c.Message!.Contains("a claim size changed")) == true, Limit, "drift reported");
        var sts = s.Store.Find(TypedStore.StatefulSets, KubernetesJsonContext.Default.StatefulSet, "doris", "doris-prod-be")!;
        sts.Spec!.Template!.Spec!.Containers![0].Image.ShouldBe("apache/doris:be-2.1.9", "the rest of the change was applied");
        sts.Spec.VolumeClaimTemplates!.Single(c => c.Metadata!.Name == "be-storage").Spec!.Resources!.Requests!["storage"].Value.ShouldBe("500Gi");
        var degraded = (await s.ClusterAsync("doris-prod", "doris")).Status!.Conditions!.Single(c => c.Type == "Degraded");
        degraded.Message!.ShouldContain("provisioner: Operator", Case.Sensitive, "recreating the set would resize nothing: the advice is the way that does");
        degraded.Message!.ShouldNotContain("--cascade=orphan");
    }

    [Fact]
    public async Task SteadyCluster_AMinuteOfSimulatedTime_NoWrites()
    {
        await using var s = await ReadyAsync("production", "doris", "doris-prod");
        await s.RunForAsync(TimeSpan.FromSeconds(10)); // let the last status and events settle
        var op = s.Env.Operators.Single();
        var writes = op.Host.Writes;
        var before = Versions(s);

        await s.RunForAsync(TimeSpan.FromMinutes(1));

        op.Host.Writes.ShouldBe(writes, "the reconciler wrote nothing");
        Versions(s).ShouldBe(before, "no object other than the leader lease changed on the server");
    }

    private static Dictionary<string, string> Versions(Scenario s)
    {
        var versions = new Dictionary<string, string>();
        foreach (var type in s.Env.Server.Registry.All.Where(t => t.Kind is not ("Lease" or "Event")))
        {
            foreach (var o in s.Env.Server.Store.List(type, null, Doris.Kubernetes.Emulator.Storage.LabelSelector.Everything, null, null, null).Items)
            {
                versions[$"{type.Kind}/{o["metadata"]!["namespace"]}/{o["metadata"]!["name"]}"] = o["metadata"]!["resourceVersion"]!.ToString();
            }
        }

        return versions;
    }
}
