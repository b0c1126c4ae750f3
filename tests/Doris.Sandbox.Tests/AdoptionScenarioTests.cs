using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Validation;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Processes;
using Doris.Testing;

namespace Doris.Sandbox.Tests;

/// <summary>
/// Handing a running cluster over from apache/doris-operator: the sandbox starts from the objects upstream renders
/// for a 3 FE + 2 observer + 3 BE (two disks each) cluster (written from its Go builders, checked against our render
/// in UpstreamFixtureTests), with data in it, and then our operator takes over.
/// </summary>
public sealed class AdoptionScenarioTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    private static string Fixture(string file) => Path.Combine(SharedFiles.RepositoryRoot, "examples", "handover", file);

    [Fact]
    public async Task Adopt_UpstreamMadeCluster_OnlyDocumentedRollsClaimsKeptObserversRejoin()
    {
        var (s, doris) = await UpstreamClusterAsync();
        await using var _ = s;
        var claimsBefore = Claims(s);
        claimsBefore.Keys.Order(StringComparer.Ordinal).ShouldBe(
        [
            "data-storage1-doris-be-0", "data-storage1-doris-be-1", "data-storage1-doris-be-2",
            "data-storage2-doris-be-0", "data-storage2-doris-be-1", "data-storage2-doris-be-2",
            "meta-doris-fe-0", "meta-doris-fe-1", "meta-doris-fe-2", "meta-doris-fe-3", "meta-doris-fe-4",
        ]);
        var templatesBefore = Templates(s);
        var podsBefore = s.Pods().ToDictionary(p => p.Metadata!.Name!, p => p.Metadata!.Uid!);

        var observersLeft = false;
        // Invariants through the whole handover: nothing lost, the FE quorum kept, no claim deleted or replaced.
        var invariant = () =>
        {
            doris.LostTablets().ShouldBe(0, "a tablet lost every live replica");
            doris.Frontends().Count(f => f.Role == "FOLLOWER" && f.Alive).ShouldBeGreaterThanOrEqualTo(2, "the FE followers lost their majority");
            var claims = Claims(s);
            // Only the scaled-away observers' claims may go, and only once they are scaled away.
            foreach (var (name, uid) in claimsBefore.Where(c => !observersLeft || c.Key is not ("meta-doris-fe-3" or "meta-doris-fe-4")))
            {
                claims.GetValueOrDefault(name).ShouldBe(uid, $"claim {name} was deleted or re-created; events: {Events(s)}");
            }

            return Task.CompletedTask;
        };

        await using var op = s.StartOperator();
        await s.RunUntilAsync(async () =>
        {
            await invariant();
            return await s.IsReadyAsync("doris") && Settled(s) && s.Pods().All(p => podsBefore.GetValueOrDefault(p.Metadata!.Name!) != p.Metadata.Uid);
        }, Limit, "adopted, every pod on the new template");

        // Every pod that rolled did so for template changes docs/compatibility.md lists, and for nothing else.
        var templatesAfter = Templates(s);
        foreach (var (name, before) in templatesBefore)
        {
            var differences = LeafDiff.Between(new Dictionary<string, JsonObject> { [name] = before }, new Dictionary<string, JsonObject> { [name] = templatesAfter[name] });
            differences.ShouldNotBeEmpty($"{name} rolled with an unchanged template");
            differences.Where(d => UpstreamDifferences.Explain(d) is null).Select(d => d.ToString()).ShouldBeEmpty($"{name} rolled for an undocumented reason");
        }

        Claims(s).ShouldBe(claimsBefore, "adoption must keep every claim");
        doris.TabletCount.ShouldBe(60);
        doris.Backends().Count.ShouldBe(3);

        // Observers: down to the followers (dropped through SQL, claims deleted), then back up on fresh claims.
        observersLeft = true;
        await SetFeReplicasAsync(s, 3);
        await s.RunUntilAsync(async () =>
        {
            await invariant();
            return await s.IsReadyAsync("doris") && FePods(s) == 3 && doris.Frontends().Count == 3 && !Claims(s).ContainsKey("meta-doris-fe-3") && !Claims(s).ContainsKey("meta-doris-fe-4");
        }, Limit, "observers dropped and their claims deleted");
        doris.Statements.Count(x => x.StartsWith("ALTER SYSTEM DROP OBSERVER", StringComparison.Ordinal)).ShouldBe(2);

        await SetFeReplicasAsync(s, 5);
        await s.RunUntilAsync(async () =>
        {
            await invariant();
            return await s.IsReadyAsync("doris") && FePods(s) == 5 && doris.Frontends().Count(f => f.Role == "OBSERVER" && f.Alive) == 2;
        }, Limit, "observers back");
        var fresh = Claims(s);
        fresh["meta-doris-fe-3"].ShouldNotBe(claimsBefore["meta-doris-fe-3"], "a dropped observer must come back on a fresh claim");
        fresh["meta-doris-fe-4"].ShouldNotBe(claimsBefore["meta-doris-fe-4"]);
        doris.TabletCount.ShouldBe(60);
    }

    // The rule the scenario above relies on, shown without the operator: an observer dropped through SQL whose
    // claim is kept cannot rejoin on it; on a fresh claim it can.
    [Fact]
    public async Task Simulation_DroppedObserverOnItsOldClaim_NeverRejoinsUntilTheClaimGoes()
    {
        var (s, doris) = await UpstreamClusterAsync();
        await using var _ = s;
        var observer = doris.Frontends().Single(f => f.Host.StartsWith("doris-fe-4.", StringComparison.Ordinal));
        doris.Execute($"ALTER SYSTEM DROP OBSERVER \"{observer.Host}:{observer.EditLogPort}\"").Error.ShouldBeNull();
        var pods = s.Env.Client.For(ResourceDescriptor.Pods, KubernetesJsonContext.Default.Pod);
        await pods.DeleteAsync("default", "doris-fe-4");

        await s.RunForAsync(TimeSpan.FromMinutes(3));
        var back = s.Pods().Single(p => p.Metadata!.Name == "doris-fe-4");
        back.Status!.Conditions!.Single(c => c.Type == "Ready").Status.ShouldBe("False");
        doris.Frontends().ShouldNotContain(f => f.Host == observer.Host);
        s.Env.Cluster.Store.Raw.Logs.Read("default", "doris-fe-4", "fe").ShouldContain(l => l.Text.Contains("cannot rejoin", StringComparison.Ordinal));

        var claims = s.Env.Client.For(ResourceDescriptor.PersistentVolumeClaims, KubernetesJsonContext.Default.PersistentVolumeClaim);
        await claims.DeleteAsync("default", "meta-doris-fe-4");
        await pods.DeleteAsync("default", "doris-fe-4");
        await s.RunUntilAsync(() => Task.FromResult(doris.Frontends().Any(f => f.Host == observer.Host && f.Alive)), Limit, "the observer rejoined on a fresh claim");
    }

    // The cluster as upstream's operator left it: its DorisCluster, and the objects upstream rendered, owned by it
    // the way upstream sets owner references; up, with data.
    private static async Task<(Scenario S, DorisModel Doris)> UpstreamClusterAsync()
    {
        var s = await Scenario.StartAsync();
        DorisCluster? cluster = null;
        var maps = new List<ConfigMap>();
        foreach (var doc in YamlReader.Read(File.ReadAllText(Fixture("cluster.yaml")), "cluster.yaml"))
        {
            if ((string?)doc.Root?["kind"] == "ConfigMap")
            {
                maps.Add(doc.Root.Deserialize(KubernetesJsonContext.Default.ConfigMap)!);
            }
            else
            {
                cluster = DorisClusterReader.Read(doc).Cluster!;
            }
        }

        var applied = await s.Env.ApplyAsync(cluster! with { Metadata = cluster!.Metadata! with { Namespace = "default" } }, maps);
        var owner = new JsonArray(new JsonObject { ["apiVersion"] = "doris.selectdb.com/v1", ["kind"] = "DorisCluster", ["name"] = "doris", ["uid"] = applied.Metadata!.Uid });
        foreach (var doc in YamlReader.Read(File.ReadAllText(Fixture("upstream-objects.yaml")), "upstream-objects.yaml"))
        {
            var obj = doc.Root!.AsObject();
            obj["metadata"]!["namespace"] = "default";
            obj["metadata"]!["ownerReferences"] = owner.DeepClone();
            if ((string?)obj["kind"] == "StatefulSet")
            {
                await s.Env.Client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet).CreateAsync(obj.Deserialize(KubernetesJsonContext.Default.StatefulSet)!);
            }
            else
            {
                await s.Env.Client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service).CreateAsync(obj.Deserialize(KubernetesJsonContext.Default.Service)!);
            }
        }

        var doris = s.Env.Cluster.Doris.Model("default", "doris");
        await s.RunUntilAsync(() => Task.FromResult(FePods(s) == 5 && s.Pods().All(Ready) && doris.Frontends().Count(f => f.Alive) == 5 && doris.Backends().Count == 3), Limit, "the upstream-made cluster up");
        doris.Frontends().Count(f => f.Role == "OBSERVER").ShouldBe(2);
        doris.SeedTablets(60);
        return (s, doris);
    }

    private static string Events(Scenario s) => string.Join("; ", s.Store.List(Doris.Simulation.Cluster.TypedStore.Events, KubernetesJsonContext.Default.Event, "default").Select(e => $"{e.Reason}: {e.Message}"));

    private static bool Ready(Pod p) => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static int FePods(Scenario s) => s.Pods("default", "app.kubernetes.io/component=fe").Count(p => p.Metadata!.DeletionTimestamp is null);

    // Every set has rolled out its current template (the StatefulSet status says so) and every pod is Ready.
    private static bool Settled(Scenario s) =>
        s.Store.List(Doris.Simulation.Cluster.TypedStore.StatefulSets, KubernetesJsonContext.Default.StatefulSet, "default")
            .All(x => x.Status?.UpdateRevision is { } r && x.Status.CurrentRevision == r && x.Status.UpdatedReplicas == x.Spec!.Replicas && x.Status.ReadyReplicas == x.Spec.Replicas)
        && s.Pods().All(Ready);

    private static Dictionary<string, string> Claims(Scenario s) =>
        s.Store.List(Doris.Simulation.Cluster.TypedStore.Claims, KubernetesJsonContext.Default.PersistentVolumeClaim, "default")
            .Where(c => c.Metadata!.DeletionTimestamp is null)
            .ToDictionary(c => c.Metadata!.Name!, c => c.Metadata!.Uid!, StringComparer.Ordinal);

    // Each StatefulSet's pod template, as an object LeafDiff compares (paths start at spec.template).
    private static Dictionary<string, JsonObject> Templates(Scenario s) =>
        s.Store.List(Doris.Simulation.Cluster.TypedStore.StatefulSets, KubernetesJsonContext.Default.StatefulSet, "default").ToDictionary(
            x => $"StatefulSet/{x.Metadata!.Name}",
            x => new JsonObject { ["spec"] = new JsonObject { ["template"] = JsonSerializer.SerializeToNode(x.Spec!.Template, KubernetesJsonContext.Default.PodTemplateSpec) } },
            StringComparer.Ordinal);

    private static Task SetFeReplicasAsync(Scenario s, int replicas) =>
        s.Env.Clusters.PatchAsync("default", "doris", PatchType.Merge, "{\"spec\":{\"feSpec\":{\"replicas\":" + replicas.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}}");
}
