using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Disaggregated;
using Doris.Api.Serialization;
using Doris.Desired.Disaggregated;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Desired.Tests;

/// <summary>
/// A DorisDisaggregatedCluster's Services and StatefulSets (meta service, FE, compute groups) against what apache/doris-operator renders (UpstreamDisaggregated/, written
/// from its Go builders), leaf by leaf.
/// </summary>
public sealed class DisaggregatedRenderTests
{
    private static DorisDisaggregatedCluster Load(string example)
    {
        var file = SharedFiles.UpstreamDisaggregatedExamples.Single(f => Path.GetFileName(f) == example);
        var cluster = YamlReader.Read(File.ReadAllText(file), example).Single(d => (string?)d.Root?["kind"] == "DorisDisaggregatedCluster").Root!
            .Deserialize(DorisApiJsonContext.Default.DorisDisaggregatedCluster)!;
        return cluster with { Metadata = cluster.Metadata! with { Namespace = "default", Uid = "uid-1" } };
    }

    [Theory]
    [InlineData("ddc-sample.yaml")]
    [InlineData("ddc-service-nodeport.yaml")]
    public void Services_UpstreamExample_MatchWhatUpstreamRenders(string example)
    {
        var cluster = Load(example);
        var fixture = Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Desired.Tests", "UpstreamDisaggregated", Path.GetFileNameWithoutExtension(example) + ".services.yaml");
        var expected = YamlReader.Read(File.ReadAllText(fixture), fixture).Select(d => d.Root!.AsObject()).ToList();

        var ours = DisaggregatedServiceBuilder.Build(cluster, DisaggregatedConfigs.Resolve(cluster.Spec!, new Dictionary<string, ConfigMap>()))
            .Select(s => JsonSerializer.SerializeToNode(s, KubernetesJsonContext.Default.Service)!.AsObject()).ToList();

        ours.Select(Name).ShouldBe(expected.Select(Name));
        foreach (var (mine, theirs) in ours.Zip(expected))
        {
            Json.Leaves(mine).ShouldBe(Json.Leaves(theirs), Name(mine));
        }
    }

    [Fact]
    public void Services_PortsFromTheComponentsConfigMaps_AreUsed()
    {
        var cluster = Load("ddc-sample.yaml");
        cluster = cluster with
        {
            Spec = cluster.Spec! with
            {
                MetaService = cluster.Spec.MetaService! with { ConfigMaps = [new ConfigMapMount { Name = "ms-conf" }] },
                FeSpec = cluster.Spec.FeSpec! with { ConfigMaps = [new ConfigMapMount { Name = "other", MountPath = "/etc/x" }, new ConfigMapMount { Name = "fe-conf" }] },
            },
        };
        var maps = new Dictionary<string, ConfigMap>
        {
            ["ms-conf"] = new() { Data = new Dictionary<string, string> { ["doris_cloud.conf"] = "brpc_listen_port = 5100\n" } },
            ["other"] = new() { Data = new Dictionary<string, string> { ["x.txt"] = "query_port = 1\n" } },
            ["fe-conf"] = new() { Data = new Dictionary<string, string> { ["fe.conf"] = "query_port = 19030\narrow_flight_sql_port = 8070\n" } },
        };

        var services = DisaggregatedServiceBuilder.Build(cluster, DisaggregatedConfigs.Resolve(cluster.Spec!, maps)).ToDictionary(s => s.Metadata!.Name!);

        services["test-disaggregated-cluster-ms"].Spec!.Ports!.Single().Port.ShouldBe(5100);
        services["test-disaggregated-cluster-fe"].Spec!.Ports!.Select(p => $"{p.Name}={p.Port}").ShouldBe(["http-port=8030", "rpc-port=9020", "query-port=19030", "edit-log-port=9010", "arrow-flight=8070"]);
        services["test-disaggregated-cluster-fe-internal"].Spec!.Ports!.Single().Port.ShouldBe(19030);
    }

    [Theory]
    [InlineData("ms")]
    [InlineData("fe")]
    [InlineData("cg1")]
    public void StatefulSet_UpstreamSample_MatchesWhatUpstreamRenders(string component)
    {
        var cluster = Load("ddc-sample.yaml");
        var fixture = Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Desired.Tests", "UpstreamDisaggregated", $"ddc-sample.{component}.yaml");
        var expected = YamlReader.Read(File.ReadAllText(fixture), fixture).Single().Root!;
        var configs = DisaggregatedConfigs.Resolve(cluster.Spec!, new Dictionary<string, ConfigMap>());

        var set = component switch
        {
            "ms" => DisaggregatedStatefulSetBuilder.MetaService(cluster, configs),
            "fe" => DisaggregatedFrontendBuilder.Build(cluster, configs),
            _ => DisaggregatedComputeGroupBuilder.Build(cluster, cluster.Spec!.ComputeGroups!.Single(g => g.UniqueId == component), configs),
        };

        Json.Leaves(JsonSerializer.SerializeToNode(set, KubernetesJsonContext.Default.StatefulSet)).ShouldBe(Json.Leaves(expected));
    }

    [Fact]
    public void FrontendStatefulSet_AuthSecretAndAdminUser_AreMountedAndPassedAsUpstreamDoes()
    {
        var cluster = Load("ddc-sample.yaml");
        cluster = cluster with { Spec = cluster.Spec! with { AuthSecret = "doris-admin", AdminUser = new Doris.Api.V1.AdminUser { Name = "root", Password = "pw" } } };

        var pod = DisaggregatedFrontendBuilder.Build(cluster, DisaggregatedConfigs.Resolve(cluster.Spec!, new Dictionary<string, ConfigMap>())).Spec!.Template!.Spec!;

        pod.Volumes!.ShouldContain(v => v.Name == "basic-auth" && v.Secret!.SecretName == "doris-admin");
        pod.Containers![0].VolumeMounts!.ShouldContain(m => m.Name == "basic-auth" && m.MountPath == "/etc/basic_auth");
        pod.Containers![0].Env!.TakeLast(2).Select(e => $"{e.Name}={e.Value}").ShouldBe(["USER=root", "PASSWD=pw"]);
    }

    [Fact]
    public void MetaServiceStatefulSet_FdbFromTheConfigMapOrTheAddress_IsFdbEndpoint()
    {
        var cluster = Load("ddc-sample.yaml");
        var maps = new Dictionary<string, ConfigMap> { ["test-cluster-config"] = new() { Data = new Dictionary<string, string> { ["cluster-file"] = "doris_fdb:Xa3k9@10.0.1.5:4500" } } };
        string? Fdb(DorisDisaggregatedCluster c, Dictionary<string, ConfigMap> m) =>
            DisaggregatedStatefulSetBuilder.MetaService(c, DisaggregatedConfigs.Resolve(c.Spec!, m)).Spec!.Template!.Spec!.Containers![0].Env!.SingleOrDefault(e => e.Name == "FDB_ENDPOINT")?.Value;

        Fdb(cluster, maps).ShouldBe("doris_fdb:Xa3k9@10.0.1.5:4500");
        var byAddress = cluster with { Spec = cluster.Spec! with { MetaService = cluster.Spec.MetaService! with { Fdb = new FoundationDb { Address = "fdb:abc@10.0.0.9:4500", ConfigMapNamespaceName = cluster.Spec.MetaService.Fdb!.ConfigMapNamespaceName } } } };
        Fdb(byAddress, maps).ShouldBe("fdb:abc@10.0.0.9:4500", "the address wins, as upstream");
    }

    [Fact]
    public void ComputeGroupStatefulSet_FileCachePathsWorkloadGroupAndSkippedInit_FollowUpstream()
    {
        var cluster = Load("ddc-sample.yaml");
        var group = cluster.Spec!.ComputeGroups![0] with
        {
            ConfigMaps = [new ConfigMapMount { Name = "be-conf" }],
            EnableWorkloadGroup = true,
            SkipDefaultSystemInit = true,
        };
        cluster = cluster with { Spec = cluster.Spec with { ComputeGroups = [group] } };
        var maps = new Dictionary<string, ConfigMap> { ["be-conf"] = new() { Data = new Dictionary<string, string> { ["be.conf"] = "file_cache_path = [{\"path\":\"/mnt/cache0\",\"total_size\":107374182400},{\"path\":\"/mnt/cache1\",\"total_size\":107374182400}]\n" } } };

        var pod = DisaggregatedComputeGroupBuilder.Build(cluster, group, DisaggregatedConfigs.Resolve(cluster.Spec!, maps)).Spec!.Template!.Spec!;

        pod.Containers![0].VolumeMounts!.Where(m => m.Name!.StartsWith("be-storage", StringComparison.Ordinal)).Select(m => $"{m.Name}={m.MountPath}").ShouldBe(["be-storage0=/mnt/cache0", "be-storage1=/mnt/cache1"]);
        pod.InitContainers.ShouldBeNull("skipDefaultSystemInit and no systemInitialization: no init container");
        pod.Containers![0].SecurityContext!.Privileged.ShouldBe(true, "workload groups need cgroup access");
        pod.Containers![0].Env!.Select(e => e.Name).ShouldContain("ENABLE_WORKLOAD_GROUP");
        pod.Containers![0].Env!.Last().Name.ShouldBe("SKIP_CHECK_ULIMIT");
    }

    // ddc-pvc.yaml: persistentVolume (one volume for every directory); the FE's logNotStore leaves its log unclaimed.
    [Fact]
    public void Volumes_SinglePersistentVolume_ClaimEachDirectoryAsUpstreamNamesThem()
    {
        var cluster = Load("ddc-pvc.yaml");
        var configs = DisaggregatedConfigs.Resolve(cluster.Spec!, new Dictionary<string, ConfigMap>());

        var fe = DisaggregatedFrontendBuilder.Build(cluster, configs);
        var cg = DisaggregatedComputeGroupBuilder.Build(cluster, cluster.Spec!.ComputeGroups![0], configs);

        fe.Spec!.VolumeClaimTemplates!.Select(c => c.Metadata!.Name).ShouldBe(["fe-meta"]);
        fe.Spec.Template!.Spec!.Volumes!.Select(v => v.Name).ShouldNotContain("fe-log", "logNotStore: the log stays in the container");
        fe.Spec.Template.Spec.Containers![0].VolumeMounts!.ShouldContain(m => m.Name == "fe-meta" && m.MountPath == "/opt/apache-doris/fe/doris-meta");
        cg.Spec!.VolumeClaimTemplates!.Select(c => $"{c.Metadata!.Name} {c.Spec!.Resources!.Requests!["storage"].Value}").ShouldBe(["be-log 120Gi", "be-storage0 120Gi"]);
        cg.Spec.Template!.Spec!.Volumes!.Single(v => v.Name == "be-storage0").PersistentVolumeClaim!.ClaimName.ShouldBe("be-storage0");
    }

    // persistentVolumes: claims named after the path, the last paths first, a volume without mountPaths as the template.
    [Fact]
    public void Volumes_PersistentVolumeArray_NamesClaimsByPathAndUsesTheTemplateForTheRest()
    {
        var cluster = Load("ddc-sample.yaml");
        DisaggregatedVolume Volume(string size, params string[] paths) => new()
        {
            MountPaths = paths.Length == 0 ? null : paths,
            PersistentVolumeClaimSpec = new PersistentVolumeClaimSpec { Resources = new VolumeResourceRequirements { Requests = new Dictionary<string, Quantity> { ["storage"] = size } } },
        };
        var group = cluster.Spec!.ComputeGroups![0] with { PersistentVolumes = [Volume("500Gi", "/opt/apache-doris/be/file_cache"), Volume("50Gi")] };

        var set = DisaggregatedComputeGroupBuilder.Build(cluster, group, DisaggregatedConfigs.Resolve(cluster.Spec, new Dictionary<string, ConfigMap>()));

        // The cache path is required twice (be.conf's default and the mountPath): upstream names it a second time, and
        // the second name, one segment longer, is the one that stays.
        set.Spec!.VolumeClaimTemplates!.Select(c => $"{c.Metadata!.Name} {c.Spec!.Resources!.Requests!["storage"].Value}").ShouldBe(["log 50Gi", "be-file-cache 500Gi"]);
        set.Spec.Template!.Spec!.Containers![0].VolumeMounts!.ShouldContain(m => m.Name == "be-file-cache" && m.MountPath == "/opt/apache-doris/be/file_cache");
    }

    [Fact]
    public void Kerberos_FeAndComputeGroups_GetKrb5AndKeytabLastAsUpstream()
    {
        var cluster = Load("ddc-sample.yaml");
        cluster = cluster with { Spec = cluster.Spec! with { KerberosInfo = new Doris.Api.V1.KerberosInfo { Krb5ConfigMap = "krb5-conf", KeytabSecretName = "keytabs" } } };
        var maps = new Dictionary<string, ConfigMap>();
        var configs = DisaggregatedConfigs.Resolve(cluster.Spec!, maps);

        foreach (var pod in new[] { DisaggregatedFrontendBuilder.Build(cluster, configs), DisaggregatedComputeGroupBuilder.Build(cluster, cluster.Spec!.ComputeGroups![0], configs) }.Select(s => s.Spec!.Template!.Spec!))
        {
            pod.Containers![0].Env!.TakeLast(4).Select(e => $"{e.Name}={e.Value}").ShouldBe(["KRB5_MOUNT_PATH=/etc/krb5", "KRB5_CONFIG=/etc/krb5.conf", "KEYTAB_MOUNT_PATH=/etc/keytab", "KEYTAB_FINAL_USED_PATH=/etc/keytab"]);
            pod.Volumes!.TakeLast(2).Select(v => v.Name).ShouldBe(["krb5", "keytab"]);
        }

        DisaggregatedStatefulSetBuilder.MetaService(cluster, configs).Spec!.Template!.Spec!.Volumes!.Select(v => v.Name).ShouldNotContain("krb5", "the meta service gets no Kerberos, as upstream");
    }

    public static TheoryData<string> Examples() => [.. SharedFiles.UpstreamDisaggregatedExamples.Concat(SharedFiles.OurDisaggregatedExamples).Select(f => Path.GetFileName(f))];

    /// <summary>Pins the render of every upstream example (placeholders filled); UPDATE_GOLDEN=1 rewrites them for review.</summary>
    [Theory]
    [MemberData(nameof(Examples))]
    public void Render_UpstreamExample_MatchesGoldenFileAndTheKubernetesSchema(string example)
    {
        var file = SharedFiles.UpstreamDisaggregatedExamples.Concat(SharedFiles.OurDisaggregatedExamples).Single(f => Path.GetFileName(f) == example);
        var cluster = YamlReader.Read(UpstreamPlaceholders.Fill(File.ReadAllText(file)), example).Single(d => (string?)d.Root?["kind"] == "DorisDisaggregatedCluster").Root!
            .Deserialize(DorisApiJsonContext.Default.DorisDisaggregatedCluster)!;
        cluster = cluster with { Metadata = cluster.Metadata! with { Namespace = "default", Uid = "uid-1" } };

        var desired = DisaggregatedClusterBuilder.Build(cluster, new Dictionary<string, ConfigMap>());

        foreach (var obj in desired.Objects)
        {
            KubernetesSwagger.Validate(Render.Node(obj)).ShouldBeEmpty($"{obj.Kind} {obj.Metadata!.Name}");
        }

        desired.Objects.OfType<StatefulSet>().Count().ShouldBe(2 + (cluster.Spec!.ComputeGroups?.Count ?? 0));
        Golden.Match(Render.ToYaml(desired), Path.Combine(SharedFiles.SourceDirectory(), "Golden", "disaggregated", example));
    }

    private static string Name(JsonObject o) => (string)o["metadata"]!["name"]!;
}
