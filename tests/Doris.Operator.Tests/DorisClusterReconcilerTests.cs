using System.Text.Json;
using Doris.Api.Crd;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Emulator;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Cluster;
using Doris.Testing;

namespace Doris.Operator.Tests;

/// <summary>The reconcile step against the emulator over HTTPS: what it writes, and what it leaves alone.</summary>
public sealed class DorisClusterReconcilerTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private KubernetesClient _client = null!;
    private DorisClusterReconciler _reconciler = null!;

    private ResourceClient<DorisCluster> Clusters => _client.For(new ResourceDescriptor("doris.selectdb.com", "v1", "dorisclusters", true), DorisApiJsonContext.Default.DorisCluster);

    private ResourceClient<StatefulSet> StatefulSets => _client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet);

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All }, TimeProvider.System, default);
        _client = new KubernetesClient(KubeConfigLoader.Parse(_server.Kubeconfig(), "kc", null, TimeProvider.System));
        await _client.For(ResourceDescriptor.CustomResourceDefinitions, KubernetesJsonContext.Default.CustomResourceDefinition).CreateAsync(DorisClusterCrd.Build());
        _reconciler = new DorisClusterReconciler(_client, new EventRecorder(_client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event), TimeProvider.System), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<DorisCluster> Apply(string example)
    {
        foreach (var doc in YamlReader.Read(await File.ReadAllTextAsync(Path.Combine(SharedFiles.RepositoryRoot, "examples", example)), example))
        {
            if ((string?)doc.Root?["kind"] == "ConfigMap")
            {
                await _client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap).CreateAsync(doc.Root.Deserialize(KubernetesJsonContext.Default.ConfigMap)!);
            }
            else if ((string?)doc.Root?["kind"] == "DorisCluster")
            {
                return await Clusters.CreateAsync(doc.Root.Deserialize(DorisApiJsonContext.Default.DorisCluster)!);
            }
        }

        throw new InvalidOperationException("no DorisCluster in " + example);
    }

    [Fact]
    public async Task Reconcile_NewCluster_CreatesEveryChildOwnedByTheCluster()
    {
        var cluster = await Apply("production.yaml");

        await _reconciler.ReconcileAsync("doris/doris-prod", default);

        var sts = await StatefulSets.GetAsync("doris", "doris-prod-be");
        sts.Metadata!.OwnerReferences!.Single().Uid.ShouldBe(cluster.Metadata!.Uid);
        sts.Spec!.Template!.Spec!.Containers![0].Image.ShouldBe("apache/doris:be-2.1.8");
        (await _client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service).ListAsync("doris")).Items.Count.ShouldBe(6);
        (await _client.For(ResourceDescriptor.PodDisruptionBudgets, KubernetesJsonContext.Default.PodDisruptionBudget).ListAsync("doris")).Items.Count.ShouldBe(3);
        (await _client.For(ResourceDescriptor.HorizontalPodAutoscalers, KubernetesJsonContext.Default.HorizontalPodAutoscaler).GetAsync("doris", "doris-prod-cn-autoscaler")).Spec!.MaxReplicas.ShouldBe(12);
        var status = (await Clusters.GetAsync("doris", "doris-prod")).Status!;
        status.FeStatus!.ComponentCondition!.Phase.ShouldBe("initializing");
        status.Conditions!.Single(c => c.Type == "Ready").Status.ShouldBe("False");
        status.ObservedGeneration.ShouldBe(1);
    }

    // A set created with other claim names (an upstream-made cluster, or an older version of this operator) keeps
    // mounting the claims it has: claim templates cannot change, and mounting the new names would leave BEs Pending.
    [Fact]
    public async Task Reconcile_SetWithOtherClaimNames_KeepsMountingTheLiveClaimsAndSaysWhy()
    {
        await Apply("storage-multi-disk.yaml");
        await _reconciler.ReconcileAsync("default/doris-disks", default);
        var created = JsonSerializer.SerializeToNode(await StatefulSets.GetAsync("default", "doris-disks-be"), KubernetesJsonContext.Default.StatefulSet)!.ToJsonString();
        await StatefulSets.DeleteAsync("default", "doris-disks-be");
        var old = created.Replace("\"data-storage1\"", "\"data-storage1-0\"", StringComparison.Ordinal).Replace("\"data-storage2\"", "\"data-storage2-1\"", StringComparison.Ordinal);
        var older = System.Text.Json.Nodes.JsonNode.Parse(old)!.AsObject();
        older["metadata"]!.AsObject().Remove("resourceVersion");
        older["metadata"]!.AsObject().Remove("uid");
        older["metadata"]!["annotations"]!["app.doris.components/hash"] = "older-version";
        await StatefulSets.CreateAsync(older.Deserialize(KubernetesJsonContext.Default.StatefulSet)!);

        await _reconciler.ReconcileAsync("default/doris-disks", default);

        var sts = await StatefulSets.GetAsync("default", "doris-disks-be");
        var claims = sts.Spec!.VolumeClaimTemplates!.Select(c => c.Metadata!.Name).ToList();
        claims.ShouldBe(["data-storage1-0", "data-storage2-1"]);
        sts.Metadata!.Annotations!["app.doris.components/hash"].ShouldNotBe("older-version", "the rest of the spec was applied");
        var mounted = sts.Spec.Template!.Spec!.Containers![0].VolumeMounts!.Select(m => m.Name).ToList();
        mounted.ShouldContain("data-storage1-0");
        mounted.ShouldContain("data-storage2-1");
        mounted.ShouldNotContain("data-storage1", "a mount with no claim template leaves the pod Pending");
        var degraded = (await Clusters.GetAsync("default", "doris-disks")).Status!.Conditions!.Single(c => c.Type == "Degraded").Message!;
        degraded.ShouldContain("the pods keep mounting the claims they have");
        degraded.ShouldContain("Do not recreate the set");
    }

    [Fact]
    public async Task Reconcile_SteadyCluster_WritesNothing()
    {
        await Apply("production.yaml");
        await _reconciler.ReconcileAsync("doris/doris-prod", default); // creates the children
        await _reconciler.ReconcileAsync("doris/doris-prod", default); // status settles: nothing is "just applied" any more
        var writes = _reconciler.Writes;
        var version = _server.Store.CurrentResourceVersion;

        for (var i = 0; i < 5; i++)
        {
            await _reconciler.ReconcileAsync("doris/doris-prod", default);
        }

        _reconciler.Writes.ShouldBe(writes);
        _server.Store.CurrentResourceVersion.ShouldBe(version, "not a single object changed on the server");
    }

    [Fact]
    public async Task Reconcile_ImageChange_PatchesOnlyThatStatefulSet()
    {
        await Apply("minimal.yaml");
        await _reconciler.ReconcileAsync("default/doris", default);
        var fe = await StatefulSets.GetAsync("default", "doris-fe");
        var writes = _reconciler.Writes;

        var cluster = await Clusters.GetAsync("default", "doris");
        await Clusters.ReplaceAsync(cluster with { Spec = cluster.Spec! with { BeSpec = cluster.Spec.BeSpec! with { Image = "apache/doris:be-2.1.9" } } });
        await _reconciler.ReconcileAsync("default/doris", default);

        (await StatefulSets.GetAsync("default", "doris-be")).Spec!.Template!.Spec!.Containers![0].Image.ShouldBe("apache/doris:be-2.1.9");
        (await StatefulSets.GetAsync("default", "doris-fe")).Metadata!.ResourceVersion.ShouldBe(fe.Metadata!.ResourceVersion, "FE is untouched");
        _reconciler.Writes.ShouldBe(writes + 2, "one StatefulSet patch and the status with the new observedGeneration");
        (await Clusters.GetAsync("default", "doris")).Status!.ObservedGeneration.ShouldBe(2);
    }

    [Fact]
    public async Task Reconcile_InvalidSpec_SetsInvalidAndRecordsAnEventButCreatesNothing()
    {
        var cluster = await Apply("minimal.yaml");
        await Clusters.ReplaceAsync(cluster with { Spec = cluster.Spec! with { FeSpec = cluster.Spec.FeSpec! with { ElectionNumber = 4, Replicas = 5 } } });

        await _reconciler.ReconcileAsync("default/doris", default);
        await _reconciler.ReconcileAsync("default/doris", default);

        var invalid = (await Clusters.GetAsync("default", "doris")).Status!.Conditions!.Single(c => c.Type == "Invalid");
        invalid.Status.ShouldBe("True");
        invalid.Message!.ShouldContain("spec.feSpec.electionNumber: 4 is even");
        (await StatefulSets.ListAsync("default")).Items.ShouldBeEmpty();
        var events = (await _client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("default")).Items;
        events.ShouldHaveSingleItem("the same problem is reported once, not on every reconcile").Reason.ShouldBe("InvalidSpec");
        events[0].InvolvedObject!.Name.ShouldBe("doris");
    }

    [Fact]
    public async Task Reconcile_HpaMaxBelowMin_InvalidNamesTheFieldAndTheFix_NoAutoscalerWritten()
    {
        var cluster = await Apply("minimal.yaml");
        var policy = new AutoScalingPolicy { MinReplicas = 4, MaxReplicas = 2 };
        await Clusters.ReplaceAsync(cluster with { Spec = cluster.Spec! with { CnSpec = new CnSpec { Image = "apache/doris:be-2.1.8", AutoScalingPolicy = policy } } });

        await _reconciler.ReconcileAsync("default/doris", default);

        var invalid = (await Clusters.GetAsync("default", "doris")).Status!.Conditions!.Single(c => c.Type == "Invalid");
        invalid.Message!.ShouldContain("spec.cnSpec.autoScalingPolicy.minReplicas: 4 is more than maxReplicas 2; raise maxReplicas or lower minReplicas");
        (await _client.For(ResourceDescriptor.HorizontalPodAutoscalers, KubernetesJsonContext.Default.HorizontalPodAutoscaler).ListAsync("default")).Items.ShouldBeEmpty();
        (await _client.For(ResourceDescriptor.Events, KubernetesJsonContext.Default.Event).ListAsync("default")).Items.ShouldContain(e => e.Reason == "InvalidSpec" && e.Type == "Warning");
    }

    [Fact]
    public async Task Reconcile_AllReplicasReady_MakesTheClusterReady()
    {
        await Apply("minimal.yaml");
        await _reconciler.ReconcileAsync("default/doris", default);
        foreach (var name in new[] { "doris-fe", "doris-be" })
        {
            var sts = await StatefulSets.GetAsync("default", name);
            await StatefulSets.ReplaceStatusAsync(sts with { Status = new StatefulSetStatus { Replicas = 1, ReadyReplicas = 1, UpdatedReplicas = 1, ObservedGeneration = sts.Metadata!.Generation, CurrentRevision = "r1", UpdateRevision = "r1" } });
        }

        var result = await _reconciler.ReconcileAsync("default/doris", default);

        var status = (await Clusters.GetAsync("default", "doris")).Status!;
        status.Conditions!.Single(c => c.Type == "Ready").Status.ShouldBe("True");
        status.BeStatus!.ComponentCondition!.Phase.ShouldBe("available");
        result.RequeueAfter.ShouldBeNull();
    }

    [Fact]
    public async Task Reconcile_AutoscaledCn_StatefulSetFollowsTheClustersReplicasAndStatusFeedsTheScale()
    {
        await Apply("production.yaml");
        await _reconciler.ReconcileAsync("doris/doris-prod", default);
        await StatefulSets.PatchAsync("doris", "doris-prod-cn", Kubernetes.Client.PatchType.Merge, """{"spec":{"replicas":7}}""");

        // What the HPA's write through /scale amounts to: spec.cnSpec.replicas on the cluster.
        var cluster = await Clusters.GetAsync("doris", "doris-prod");
        await Clusters.ReplaceAsync(cluster with { Spec = cluster.Spec! with { CnSpec = cluster.Spec.CnSpec! with { Replicas = 4 } } });
        await _reconciler.ReconcileAsync("doris/doris-prod", default);

        (await StatefulSets.GetAsync("doris", "doris-prod-cn")).Spec!.Replicas.ShouldBe(4, "a hand edit of the StatefulSet is put back; the cluster is in charge");
        var cn = (await Clusters.GetAsync("doris", "doris-prod")).Status!.CnStatus!;
        cn.Selector.ShouldBe("app.doris.ownerreference/name=doris-prod-cn,app.kubernetes.io/component=cn");
        cn.Replicas.ShouldNotBeNull();
    }

    [Fact]
    public async Task Reconcile_ComponentRemovedFromSpec_DeletesItsChildrenButNothingElse()
    {
        await Apply("broker.yaml");
        await _reconciler.ReconcileAsync("default/doris-broker", default);
        (await StatefulSets.GetAsync("default", "doris-broker-broker")).ShouldNotBeNull();
        var be = await StatefulSets.GetAsync("default", "doris-broker-be");

        var cluster = await Clusters.GetAsync("default", "doris-broker");
        await Clusters.ReplaceAsync(cluster with { Spec = cluster.Spec! with { BrokerSpec = null } });
        await _reconciler.ReconcileAsync("default/doris-broker", default);

        (await Should.ThrowAsync<KubernetesApiException>(() => StatefulSets.GetAsync("default", "doris-broker-broker"))).IsNotFound.ShouldBeTrue();
        (await Should.ThrowAsync<KubernetesApiException>(() => _client.For(ResourceDescriptor.Services, KubernetesJsonContext.Default.Service).GetAsync("default", "doris-broker-broker-internal"))).IsNotFound.ShouldBeTrue();
        (await StatefulSets.GetAsync("default", "doris-broker-be")).Metadata!.ResourceVersion.ShouldBe(be.Metadata!.ResourceVersion);
        (await Clusters.GetAsync("default", "doris-broker")).Status!.BrokerStatus.ShouldBeNull();
    }

    [Fact]
    public async Task Reconcile_ObjectWithOurNameButNotOurs_IsNeverDeleted()
    {
        await Apply("minimal.yaml");
        var foreign = await StatefulSets.CreateAsync(new StatefulSet { ApiVersion = "apps/v1", Kind = "StatefulSet", Metadata = new ObjectMeta { Name = "doris-cn", Namespace = "default" }, Spec = new StatefulSetSpec { ServiceName = "x" } });

        await _reconciler.ReconcileAsync("default/doris", default);

        (await StatefulSets.GetAsync("default", "doris-cn")).Metadata!.Uid.ShouldBe(foreign.Metadata!.Uid);
    }

    [Fact]
    public async Task DeletingTheCluster_CollectsItsChildren()
    {
        await Apply("minimal.yaml");
        await _reconciler.ReconcileAsync("default/doris", default);

        await Clusters.DeleteAsync("default", "doris");

        (await Should.ThrowAsync<KubernetesApiException>(() => StatefulSets.GetAsync("default", "doris-be"))).IsNotFound.ShouldBeTrue();
        (await _reconciler.ReconcileAsync("default/doris", default)).RequeueAfter.ShouldBeNull();
    }
}
