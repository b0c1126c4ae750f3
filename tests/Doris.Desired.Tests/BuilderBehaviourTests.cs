using Doris.Kubernetes.Models;

namespace Doris.Desired.Tests;

public sealed class BuilderBehaviourTests
{
    private const string Head = Render.Head;

    private static ConfigMap Conf(string name, string key, string text) =>
        new() { Metadata = new ObjectMeta { Name = name }, Data = new Dictionary<string, string> { [key] = text } };

    [Fact]
    public void Ports_FromFeConf_ReachServicesProbesAndEnvOfEveryComponent()
    {
        var desired = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f, configMapInfo: {configMapName: fe-conf}}\n  beSpec: {replicas: 1, image: b}\n",
            Conf("fe-conf", "fe.conf", "query_port = 19030\nhttp_port = 18030\nenable_fqdn_mode = true\n"));

        desired.Get<Service>("c-fe-internal").Spec!.Ports!.Single().Port.ShouldBe(19030);
        desired.Get<StatefulSet>("c-fe").MainContainer().LivenessProbe!.TcpSocket!.Port!.Number.ShouldBe(19030);
        desired.Get<StatefulSet>("c-fe").MainContainer().ReadinessProbe!.Exec!.Command![2].ShouldContain(":18030/api/health");
        desired.Get<StatefulSet>("c-be").MainContainer().Env("FE_QUERY_PORT").ShouldBe("19030");
        desired.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Readiness_IpModeConfigMap_UsesPlainHttpGet()
    {
        var desired = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f}\n  beSpec: {replicas: 1, image: b, configMapInfo: {configMapName: be-conf}}\n",
            Conf("be-conf", "be.conf", "webserver_port = 18040\n"));

        var probe = desired.Get<StatefulSet>("c-be").MainContainer().ReadinessProbe!;
        probe.HttpGet!.Path.ShouldBe("/api/health");
        probe.HttpGet.Port!.Number.ShouldBe(18040);
    }

    [Fact]
    public void Readiness_TlsInFqdnMode_PassesCertificatesToCurl()
    {
        var desired = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f, configMapInfo: {configMapName: fe-conf}}\n",
            Conf("fe-conf", "fe.conf", "enable_fqdn_mode = true\nenable_tls = true\ntls_ca_certificate_path = /etc/tls/ca.pem\ntls_certificate_path = /etc/tls/cert.pem\ntls_private_key_path = /etc/tls/key.pem\n"));

        desired.Get<StatefulSet>("c-fe").MainContainer().ReadinessProbe!.Exec!.Command![2]
            .ShouldContain("--cacert /etc/tls/ca.pem --cert /etc/tls/cert.pem --key /etc/tls/key.pem https://$host:8030/api/health");
    }

    [Fact]
    public void MissingConfigMap_RendersWithDefaultsAndWarns()
    {
        var desired = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f, configMapInfo: {configMapName: absent}}\n");

        desired.Warnings.ShouldHaveSingleItem().ShouldContain("ConfigMap 'absent' was not supplied");
        desired.Get<Service>("c-fe-internal").Spec!.Ports!.Single().Port.ShouldBe(9030);
    }

    [Fact]
    public void Cn_ConfigWithoutComputeRole_Warns()
    {
        var desired = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f}\n  cnSpec: {replicas: 1, image: b, configMapInfo: {configMapName: cn-conf}}\n",
            Conf("cn-conf", "be.conf", "priority_networks = 10.0.0.0/8\n"));

        desired.Warnings.ShouldHaveSingleItem().ShouldContain("be_node_role = computation");
    }

    [Fact]
    public void PersistentVolumeTemplate_ExpandsOverEveryStorageRootPathDisk()
    {
        var desired = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f}\n  beSpec:\n    replicas: 3\n    image: b\n    configMapInfo: {configMapName: be-conf}\n    persistentVolumes:\n    - name: data\n      persistentVolumeClaimSpec: {storageClassName: gp3, resources: {requests: {storage: 500Gi}}}\n",
            Conf("be-conf", "be.conf", "storage_root_path = /opt/apache-doris/be/storage1.SSD;/opt/apache-doris/be/storage2,medium:hdd\n"));

        var sts = desired.Get<StatefulSet>("c-be");
        sts.Spec!.VolumeClaimTemplates!.Select(t => t.Metadata!.Name).ShouldBe(["data-storage1", "data-storage2"], "upstream's names: an adopted cluster keeps its disks");
        sts.MainContainer().VolumeMounts!.Select(m => m.MountPath).ShouldBe(["/etc/podinfo", "/opt/apache-doris/be/storage1", "/opt/apache-doris/be/storage2", "/etc/doris"]);
        sts.Spec.VolumeClaimTemplates![0].Spec!.StorageClassName.ShouldBe("gp3");
    }

    // doris-operator GetNameOfEachPath (pkg/common/utils/doris/storage_conf.go at c418a18), its documented cases.
    [Theory]
    [InlineData("/path1", "path1")]
    [InlineData("/opt/doris/path1", "path1")]
    [InlineData("/path1;/path2", "path1,path2")]
    [InlineData("/home/disk1/doris;/home/disk2/doris", "doris,disk2-doris")]
    [InlineData("/home/doris/disk1;/home/doris/disk2", "disk1,disk2")]
    [InlineData("/data/hot_ssd;/data/cold_hdd", "hot-ssd,cold-hdd")]
    public void PathNames_AreUpstreamsForEachDisk(string paths, string names) =>
        PersistentVolumeResolver.PathNames(paths.Split(';')).ShouldBe(names.Split(','));

    [Fact]
    public void PersistentVolumeTemplate_SingleFeDisk_KeepsItsNameAtMetaDir()
    {
        var desired = Render.Yaml(Head + "  feSpec:\n    replicas: 3\n    image: f\n    persistentVolumes:\n    - name: meta\n      persistentVolumeClaimSpec: {resources: {requests: {storage: 50Gi}}}\n");

        var sts = desired.Get<StatefulSet>("c-fe");
        sts.Spec!.VolumeClaimTemplates!.Single().Metadata!.Name.ShouldBe("meta");
        sts.MainContainer().VolumeMounts!.ShouldContain(m => m.Name == "meta" && m.MountPath == "/opt/apache-doris/fe/doris-meta");
    }

    [Fact]
    public void UserEnv_ComesFirstAndOverridesOperatorDefaults()
    {
        var desired = Render.Yaml(Head + "  feSpec:\n    replicas: 1\n    image: f\n    envVars:\n    - {name: TZ, value: UTC}\n    - {name: DNS_READY_TIMEOUT, value: '300'}\n");

        var env = desired.Get<StatefulSet>("c-fe").MainContainer().Env!;
        env[0].Name.ShouldBe("TZ");
        env.Count(e => e.Name == "DNS_READY_TIMEOUT").ShouldBe(1);
        env.Single(e => e.Name == "DNS_READY_TIMEOUT").Value.ShouldBe("300");
    }

    [Fact]
    public void AuthSecretKerberosSecretsAndSharedClaims_AreMounted()
    {
        var desired = Render.Yaml(Head + "  authSecret: doris-auth\n  kerberosInfo: {krb5ConfigMap: krb5, keytabSecretName: keytabs, keytabPath: /etc/keytab/final}\n  sharedPersistentVolumeClaims:\n  - {persistentVolumeClaimName: udf, mountPath: $DORIS_HOME/plugins, supportComponents: [be]}\n  feSpec: {replicas: 1, image: f, secrets: [{secretName: tls, mountPath: /etc/tls}]}\n  beSpec: {replicas: 1, image: b}\n");

        var fe = desired.Get<StatefulSet>("c-fe");
        var be = desired.Get<StatefulSet>("c-be");
        fe.MainContainer().VolumeMounts!.Select(m => m.MountPath).ShouldBe(["/etc/podinfo", "/opt/apache-doris/fe/doris-meta", "/etc/tls", "/etc/krb5", "/etc/keytab", "/etc/basic_auth"], "upstream mounts the auth Secret after the Secrets and Kerberos files");
        fe.MainContainer().Env("KEYTAB_FINAL_USED_PATH").ShouldBe("/etc/keytab/final");
        fe.MainContainer().Env("KRB5_CONFIG").ShouldBe("/etc/krb5.conf");
        be.MainContainer().VolumeMounts!.ShouldContain(m => m.Name == "udf" && m.MountPath == "/opt/apache-doris/be/plugins");
        fe.MainContainer().VolumeMounts!.ShouldNotContain(m => m.Name == "udf");
    }

    [Fact]
    public void BeOptions_WorkloadGroupSkipInitAndCpuLimit()
    {
        var desired = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f}\n  beSpec: {replicas: 1, image: b, enableWorkloadGroup: true, skipDefaultSystemInit: true, autoResolveLimitCPU: true, limits: {cpu: 8}}\n");

        var be = desired.Get<StatefulSet>("c-be");
        be.MainContainer().SecurityContext!.Privileged.ShouldBe(true);
        be.MainContainer().Env("ENABLE_WORKLOAD_GROUP").ShouldBe("true");
        be.MainContainer().Env("SKIP_CHECK_ULIMIT").ShouldBe("true");
        be.MainContainer().Env("BE_CPU_LIMIT").ShouldBe("8");
        be.Spec!.Template!.Spec!.InitContainers.ShouldBeNull();
    }

    [Fact]
    public void FeAddress_OnComponent_ReplacesTheClusterFeService()
    {
        var desired = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f}\n  beSpec: {replicas: 1, image: b, feAddress: {endpoints: {address: [10.0.0.1, 10.0.0.2], port: 9031}}}\n");

        var be = desired.Get<StatefulSet>("c-be").MainContainer();
        be.Env("ENV_FE_ADDR").ShouldBe("10.0.0.1,10.0.0.2");
        be.Env("FE_QUERY_PORT").ShouldBe("9031");
    }

    [Fact]
    public void Autoscaler_V2_TargetsTheClustersScaleSubresourceAndCopiesMetrics()
    {
        var desired = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f}\n  cnSpec:\n    replicas: 20\n    image: b\n    autoScalingPolicy:\n      minReplicas: 2\n      maxReplicas: 10\n      hpaPolicy:\n        metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 30}}}]\n");

        var hpa = desired.Get<HorizontalPodAutoscaler>("c-cn-autoscaler");
        hpa.ApiVersion.ShouldBe("autoscaling/v2");
        (hpa.Spec!.ScaleTargetRef!.ApiVersion, hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name).ShouldBe(("doris.selectdb.com/v1", "DorisCluster", "c"), "the operator, not the HPA, shrinks the StatefulSet");
        hpa.Spec.Metrics!.Single().Resource!.Target!.AverageUtilization.ShouldBe(30);
        hpa.Metadata!.Labels!["app.kubernetes.io/component"].ShouldBe("autoscaler");
        desired.Get<StatefulSet>("c-cn").Spec!.Replicas.ShouldBe(10, "replicas start inside the autoscaler's range");
    }

    [Fact]
    public void Autoscaler_V1_HasNoMetrics()
    {
        var desired = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f}\n  cnSpec: {image: b, autoScalingPolicy: {version: v1, minReplicas: 1, maxReplicas: 3}}\n");

        var hpa = desired.Get<HorizontalPodAutoscalerV1>("c-cn-autoscaler");
        hpa.ApiVersion.ShouldBe("autoscaling/v1");
        hpa.Spec!.TargetCPUUtilizationPercentage.ShouldBeNull();
        desired.Get<StatefulSet>("c-cn").Spec!.Replicas.ShouldBe(1);
    }

    [Fact]
    public void OwnerReferences_SetOnlyWhenTheClusterHasAUid()
    {
        var withUid = Render.Yaml("apiVersion: doris.selectdb.com/v1\nkind: DorisCluster\nmetadata: {name: c, uid: 0f6e1c2a-7d3b-4c5e-9a8b-1c2d3e4f5a6b}\nspec:\n  feSpec: {replicas: 1, image: f}\n");
        var without = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f}\n");

        var owner = withUid.Objects.Select(o => o.Metadata!.OwnerReferences!.Single()).Distinct().ShouldHaveSingleItem();
        owner.Kind.ShouldBe("DorisCluster");
        owner.Uid.ShouldBe("0f6e1c2a-7d3b-4c5e-9a8b-1c2d3e4f5a6b");
        owner.Controller.ShouldBe(true);
        without.Objects.ShouldAllBe(o => o.Metadata!.OwnerReferences == null);
    }

    [Fact]
    public void Hash_ChangesWithTheSpecAndNotOtherwise()
    {
        static string Hash(string yaml) => Render.Yaml(yaml).Get<StatefulSet>("c-fe").Metadata!.Annotations!["app.doris.components/hash"];

        var a = Hash(Head + "  feSpec: {replicas: 1, image: f:1}\n");
        Hash(Head + "  feSpec: {replicas: 1, image: f:1}\n").ShouldBe(a);
        Hash(Head + "  feSpec: {replicas: 1, image: f:2}\n").ShouldNotBe(a);
    }

    [Fact]
    public void StartTimeoutAndGracePeriod_FollowSpecAndConfig()
    {
        var desired = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f, startTimeout: 900, liveTimeout: 30, configMapInfo: {configMapName: fe-conf}, readinessProbePolicy: {timeoutSeconds: 10, failureThreshold: 6}}\n",
            Conf("fe-conf", "fe.conf", "grace_shutdown_wait_seconds = 600\n"));

        var sts = desired.Get<StatefulSet>("c-fe");
        sts.MainContainer().StartupProbe!.FailureThreshold.ShouldBe(180);
        sts.MainContainer().LivenessProbe!.TimeoutSeconds.ShouldBe(30);
        sts.MainContainer().ReadinessProbe!.TimeoutSeconds.ShouldBe(10);
        sts.MainContainer().ReadinessProbe!.FailureThreshold.ShouldBe(6);
        sts.Spec!.Template!.Spec!.TerminationGracePeriodSeconds.ShouldBe(600);
    }

    [Fact]
    public void DisruptionBudgets_OneFeOneBeAQuarterOfCn_NoneForBroker()
    {
        var desired = Render.Yaml(Head + "  feSpec: {replicas: 3, image: f}\n  beSpec: {replicas: 3, image: b}\n  cnSpec: {replicas: 4, image: b}\n  brokerSpec: {replicas: 1, image: k}\n");

        desired.Get<PodDisruptionBudget>("c-fe-pdb").Spec!.MaxUnavailable!.Number.ShouldBe(1);
        desired.Get<PodDisruptionBudget>("c-be-pdb").Spec!.MaxUnavailable!.Number.ShouldBe(1);
        desired.Get<PodDisruptionBudget>("c-cn-pdb").Spec!.MaxUnavailable!.Text.ShouldBe("25%");
        desired.Get<PodDisruptionBudget>("c-be-pdb").Spec!.Selector!.MatchLabels!["app.doris.ownerreference/name"].ShouldBe("c-be");
        desired.Objects.OfType<PodDisruptionBudget>().ShouldNotContain(p => p.Metadata!.Name == "c-broker-pdb");
    }

    [Fact]
    public void NodePort_AssignedToThePortWithTheMatchingTarget()
    {
        var desired = Render.Yaml(Head + "  feSpec: {replicas: 1, image: f, service: {type: NodePort, servicePorts: [{nodePort: 31030, targetPort: 9030}]}}\n");

        var ports = desired.Get<Service>("c-fe-service").Spec!.Ports!;
        ports.Single(p => p.Name == "query-port").NodePort.ShouldBe(31030);
        ports.Where(p => p.Name != "query-port").ShouldAllBe(p => p.NodePort == null);
    }
}
