using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Crd;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Emulator;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator;
using Doris.Operator.Runtime;
using Doris.Simulation.Time;
using Doris.Testing;

namespace Doris.Sandbox.Tests;

/// <summary>
/// The operator against the emulator through half an hour of simulated time in which watches are ended every few
/// seconds every way the real world ends them, the API server restarts, the CRD is deleted and created again, the
/// leader lease is taken away and given back, and one DorisCluster among ten cannot be decoded. At the end a spec
/// change must be reconciled within seconds and the bad object must have been reported by name.
/// </summary>
public sealed class SoakTests
{
    private const string Clusters = "/apis/doris.selectdb.com/v1/namespaces/default/dorisclusters";

    [Fact]
    public async Task Operator_ThirtyMinutesOfEndedWatchesRestartsAndABadObject_KeepsReconciling()
    {
        var clock = new SimulatedClock();
        await using var env = await SandboxEnvironment.StartAsync(new SandboxOptions { Time = clock, Tls = false }, default);
        using var http = new HttpClient { BaseAddress = env.Server.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", env.Server.BearerToken);
        var crds = env.Client.For(ResourceDescriptor.CustomResourceDefinitions, KubernetesJsonContext.Default.CustomResourceDefinition);
        var live = await crds.GetAsync(null, "dorisclusters.doris.selectdb.com");
        await crds.ReplaceAsync(Loose(live));
        await ApplyAllAsync(http);
        var run = env.StartOperator("soak", new OperatorOptions
        {
            Informers = new InformerOptions { MinWatchTimeout = TimeSpan.FromSeconds(20) },
            ResyncPeriod = TimeSpan.FromMinutes(3),
        });
        var host = run.Host;
        var driver = new SimulatedDriver(env, clock) { SkipQuietSteps = true };
        var faults = env.Server.Faults;
        var start = clock.GetUtcNow();
        var step = 0;
        var leaseStolen = false;
        while (clock.GetUtcNow() - start < TimeSpan.FromMinutes(30))
        {
            await driver.StepAsync(TimeSpan.FromSeconds(1));
            step++;
            var minute = (clock.GetUtcNow() - start).TotalMinutes;
            if (step % 5 == 0)
            {
                switch (step / 5 % 5)
                {
                    case 0: env.Server.Store.DropWatches(); break;
                    case 1: faults.BreakWatches(WatchBreak.Reset); break;
                    case 2: faults.BreakWatches(WatchBreak.Corrupt); break;
                    case 3: faults.FailNext("WATCH", 3, 503); env.Server.Store.DropWatches(); break;
                    default: faults.FailNext("WATCH", 1, 410); env.Server.Store.DropWatches(); break;
                }
            }

            if (step % 600 == 300)
            {
                await env.Server.RestartAsync(TimeSpan.FromMilliseconds(300), forgetHistory: true);
            }

            if (step == 12 * 60)
            {
                var crd = await crds.GetAsync(null, "dorisclusters.doris.selectdb.com");
                await crds.DeleteAsync(null, "dorisclusters.doris.selectdb.com");
                await driver.StepAsync(TimeSpan.FromSeconds(5));
                await crds.CreateAsync(crd with { Metadata = new ObjectMeta { Name = crd.Metadata!.Name } });
                await ApplyAllAsync(http);
            }

            if (step == 20 * 60)
            {
                leaseStolen = await StealLeaseAsync(env, clock);
            }
        }

        leaseStolen.ShouldBeTrue();
        host.Terms.ShouldBeGreaterThanOrEqualTo(2, "the lease taken away was won back");
        env.Server.Restarts.ShouldBe(3);
        await Drive.UntilAsync(driver, () => Task.FromResult(host.IsLeader && host.View?.Clusters.HasSynced == true), TimeSpan.FromMinutes(1), "a synced leader after the soak");
        var restarts = host.View!.All.SelectMany(i => i.WatchRestarts.Keys).Distinct().ToList();
        restarts.ShouldBe(["broken", "closed", "error", "expired", "garbled"], ignoreOrder: true, "every kind of end happened (and was survived)");

        // The change made at the end is reconciled within seconds.
        var clusters = env.Clusters;
        var target = await clusters.GetAsync("default", "soak-3");
        await clusters.ReplaceAsync(target with { Spec = target.Spec! with { BeSpec = target.Spec.BeSpec! with { Replicas = 2 } } });
        var statefulSets = env.Client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet);
        string Diagnose() => $"leader={host.IsLeader} terms={host.Terms} reconciles={host.Reconciles} queue={host.Queue.Count} timers={host.Queue.Timers} notReady=[{string.Join("; ", host.NotReady())}] restarts=[{string.Join("; ", host.View?.All.Select(i => i.Resource + ":" + i.State + " " + string.Join(",", i.WatchRestarts.Select(kv => kv.Key + "=" + kv.Value))) ?? [])}] openWatches={env.Server.Store.OpenWatches}";
        var took = await Drive.UntilAsync(driver, async () =>
        {
            var c = await clusters.GetAsync("default", "soak-3");
            var be = await statefulSets.GetAsync("default", "soak-3-be");
            return c.Status?.ObservedGeneration == c.Metadata!.Generation && be.Spec!.Replicas == 2;
        }, TimeSpan.FromSeconds(10), "the spec change made at the end to be reconciled", Diagnose);
        took.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 10; i++)
        {
            (await statefulSets.GetAsync("default", $"soak-{i}-fe")).ShouldNotBeNull();
        }

        // The undecodable object was reported by name, and is still left alone.
        var events = (await env.Client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("default")).Items;
        events.ShouldContain(e => e.Reason == "SpecUndecodable" && e.InvolvedObject!.Name == "broken" && e.Message!.StartsWith("spec.beSpec.replicas: the value \"three\" is not a number", StringComparison.Ordinal));
        ((IInformerHealth)host.View.Clusters).Undecodable.Select(u => u.Name).ShouldBe(["broken"]);
        (await statefulSets.ListAsync("default")).Items.ShouldNotContain(s => s.Metadata!.Name!.StartsWith("broken-", StringComparison.Ordinal));
        host.NotReady().ShouldBeEmpty();
    }

    // Another holder takes the lease (as a partitioned operator's successor would); the soak operator must stand
    // down, and take it back once the intruder's lease runs out.
    private static async Task<bool> StealLeaseAsync(SandboxEnvironment env, SimulatedClock clock)
    {
        var leases = env.Client.For(ResourceDescriptor.Leases, KubernetesJsonContext.Default.Lease);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var lease = await leases.GetAsync("doris-system", "dorisctl-operator");
            try
            {
                await leases.ReplaceAsync(lease with { Spec = lease.Spec! with { HolderIdentity = "intruder", RenewTime = clock.GetUtcNow(), LeaseDurationSeconds = 30 } });
                return true;
            }
            catch (Kubernetes.Client.Errors.KubernetesApiException e) when (e.IsConflict)
            {
            }
        }

        return false;
    }

    private static async Task ApplyAllAsync(HttpClient http)
    {
        var minimal = YamlReader.Read(await File.ReadAllTextAsync(Path.Combine(SharedFiles.RepositoryRoot, "examples", "minimal.yaml")), "minimal.yaml")[0].Root!;
        for (var i = 0; i < 10; i++)
        {
            var good = minimal.DeepClone();
            good["metadata"]!["name"] = $"soak-{i}";
            await PostAsync(http, good);
        }

        var bad = minimal.DeepClone();
        bad["metadata"]!["name"] = "broken";
        bad["spec"]!["beSpec"]!["replicas"] = "three";
        await PostAsync(http, bad);
    }

    private static async Task PostAsync(HttpClient http, JsonNode body)
    {
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(Clusters, content);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    // A CRD that accepts anything (an older or hand-edited one): the API server stores what the operator cannot read.
    private static CustomResourceDefinition Loose(CustomResourceDefinition crd)
    {
        var node = JsonSerializer.SerializeToNode(crd, KubernetesJsonContext.Default.CustomResourceDefinition)!;
        foreach (var version in node["spec"]!["versions"]!.AsArray())
        {
            version!["schema"] = new JsonObject { ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } };
        }

        return node.Deserialize(KubernetesJsonContext.Default.CustomResourceDefinition)!;
    }
}
