using Doris.Kubernetes.Models;

namespace Doris.Desired.Tests;

/// <summary>
/// The object shapes apache/doris-operator produces (docs/notes/doris-operator.md, sections 5 and 6),
/// asserted field by field so an adopted cluster keeps its names, selectors and pod templates.
/// </summary>
public sealed class UpstreamCompatibilityTests
{
    private const string Cluster = """
        apiVersion: doris.selectdb.com/v1
        kind: DorisCluster
        metadata: {name: c, namespace: ns}
        spec:
          feSpec: {replicas: 3, image: apache/doris:fe-2.1.8}
          beSpec: {replicas: 3, image: apache/doris:be-2.1.8}
          cnSpec: {replicas: 2, image: apache/doris:be-2.1.8}
          brokerSpec: {replicas: 1, image: apache/doris:broker-2.1.8}
        """;

    private static readonly DesiredCluster Desired = Render.Yaml(Cluster);

    [Fact]
    public void Names_FollowUpstreamConventions()
    {
        var names = Desired.Objects.Select(o => $"{o.Kind}/{o.Metadata!.Name}").ToList();

        names.ShouldContain("StatefulSet/c-fe");
        names.ShouldContain("StatefulSet/c-be");
        names.ShouldContain("StatefulSet/c-cn");
        names.ShouldContain("StatefulSet/c-broker");
        names.ShouldContain("Service/c-fe-service");
        names.ShouldContain("Service/c-fe-internal");
        names.ShouldContain("Service/c-be-service");
        names.ShouldContain("Service/c-cn-service");
        names.ShouldContain("Service/c-broker-internal");
        names.ShouldNotContain("Service/c-broker-service");
        Desired.Objects.ShouldAllBe(o => o.Metadata!.Namespace == "ns");
    }

    [Theory]
    [InlineData("fe")]
    [InlineData("be")]
    [InlineData("cn")]
    [InlineData("broker")]
    public void Labels_StatefulSetSelectorAndPodLabels_MatchUpstream(string component)
    {
        var sts = Desired.Get<StatefulSet>($"c-{component}");

        sts.Metadata!.Labels.ShouldBe(new Dictionary<string, string> { ["app.doris.ownerreference/name"] = "c", ["app.kubernetes.io/component"] = component }, ignoreOrder: true);
        sts.Spec!.Selector!.MatchLabels.ShouldBe(new Dictionary<string, string> { ["app.doris.ownerreference/name"] = $"c-{component}", ["app.kubernetes.io/component"] = component }, ignoreOrder: true);
        sts.Spec.Template!.Metadata!.Labels!["app.doris.cluster"].ShouldBe("c");
        sts.Spec.Template.Metadata.Name.ShouldBe($"c-{component}");
        sts.Spec.ServiceName.ShouldBe($"c-{component}-internal");
        sts.Spec.PodManagementPolicy.ShouldBe("Parallel");
        sts.Spec.RevisionHistoryLimit.ShouldBe(5);
        sts.Spec.UpdateStrategy!.RollingUpdate!.Partition.ShouldBe(0);
        sts.MainContainer().Name.ShouldBe(component);
        sts.MainContainer().ImagePullPolicy.ShouldBe("IfNotPresent");
        sts.MainContainer().Args.ShouldBe(["$(ENV_FE_ADDR)"]);
    }

    [Fact]
    public void Services_RolesPortsAndSelectors_MatchUpstream()
    {
        var access = Desired.Get<Service>("c-fe-service");
        var internalService = Desired.Get<Service>("c-fe-internal");

        access.Metadata!.Labels!["app.doris.service/role"].ShouldBe("access");
        access.Spec!.Ports!.Select(p => (p.Name, p.Port)).ShouldBe([("http-port", 8030), ("rpc-port", 9020), ("query-port", 9030), ("edit-log-port", 9010)]);
        access.Spec.SessionAffinity.ShouldBe("ClientIP");
        access.Spec.Selector!["app.doris.ownerreference/name"].ShouldBe("c-fe");
        internalService.Metadata!.Labels!["app.doris.service/role"].ShouldBe("internal");
        internalService.Spec!.ClusterIP.ShouldBe("None");
        internalService.Spec.PublishNotReadyAddresses.ShouldBe(true);
        internalService.Spec.Ports!.Single().Port.ShouldBe(9030);
        Desired.Get<Service>("c-be-service").Spec!.Ports!.Select(p => (p.Name, p.Port)).ShouldBe([("be-port", 9060), ("webserver-port", 8040), ("heartbeat-port", 9050), ("brpc-port", 8060)]);
        Desired.Get<Service>("c-be-internal").Spec!.Ports!.Single().Name.ShouldBe("heartbeat-port");
        Desired.Get<Service>("c-broker-internal").Spec!.Ports!.Single().Port.ShouldBe(8000);
    }

    [Fact]
    public void ContainerPorts_CnHasNone_OthersNamedAsUpstream()
    {
        Desired.Get<StatefulSet>("c-cn").MainContainer().Ports.ShouldBeNull();
        Desired.Get<StatefulSet>("c-fe").MainContainer().Ports!.Select(p => p.Name).ShouldBe(["http-port", "rpc-port", "query-port", "edit-log-port"]);
        Desired.Get<StatefulSet>("c-broker").MainContainer().Ports!.Single().ContainerPortValue.ShouldBe(8000);
    }

    [Fact]
    public void Probes_FeTimingsAndPorts_MatchUpstream()
    {
        var fe = Desired.Get<StatefulSet>("c-fe").MainContainer();

        fe.LivenessProbe!.TcpSocket!.Port!.Number.ShouldBe(9030);
        fe.LivenessProbe.PeriodSeconds.ShouldBe(5);
        fe.LivenessProbe.FailureThreshold.ShouldBe(3);
        fe.LivenessProbe.InitialDelaySeconds.ShouldBe(80);
        fe.LivenessProbe.TimeoutSeconds.ShouldBe(180);
        fe.StartupProbe!.TcpSocket!.Port!.Number.ShouldBe(9030);
        fe.StartupProbe.FailureThreshold.ShouldBe(72);
        fe.ReadinessProbe!.Exec!.Command![2].ShouldContain("curl --fail --silent --output /dev/null http://$host:8030/api/health");
        fe.Lifecycle!.PreStop!.Exec!.Command.ShouldBe(["/opt/apache-doris/fe_prestop.sh"]);
        Desired.Get<StatefulSet>("c-fe").Spec!.Template!.Spec!.TerminationGracePeriodSeconds.ShouldBe(330);
    }

    [Fact]
    public void Probes_BeAndBroker_UseHeartbeatPortAndAliveScript()
    {
        var be = Desired.Get<StatefulSet>("c-be");
        var broker = Desired.Get<StatefulSet>("c-broker");

        be.MainContainer().LivenessProbe!.TcpSocket!.Port!.Number.ShouldBe(9050);
        be.MainContainer().ReadinessProbe!.Exec!.Command![2].ShouldContain(":8040/api/health");
        be.Spec!.Template!.Spec!.TerminationGracePeriodSeconds.ShouldBe(200);
        broker.MainContainer().LivenessProbe!.Exec!.Command.ShouldBe(["/opt/apache-doris/broker_is_alive.sh", "8000"]);
        broker.MainContainer().ReadinessProbe!.Exec!.Command.ShouldBe(["/opt/apache-doris/broker_is_alive.sh", "8000"]);
        broker.Spec!.Template!.Spec!.TerminationGracePeriodSeconds.ShouldBeNull();
    }

    [Fact]
    public void Env_OrderAndValues_MatchUpstream()
    {
        var fe = Desired.Get<StatefulSet>("c-fe").MainContainer();
        var cn = Desired.Get<StatefulSet>("c-cn").MainContainer();

        fe.Env!.Select(e => e.Name).ShouldBe(["POD_NAME", "POD_IP", "HOST_IP", "POD_NAMESPACE", "CONFIGMAP_MOUNT_PATH", "DNS_READY_TIMEOUT", "DNS_READY_INTERVAL", "USER", "DORIS_ROOT", "ENV_FE_ADDR", "FE_QUERY_PORT", "ELECT_NUMBER"]);
        fe.Env!.Single(e => e.Name == "POD_IP").ValueFrom!.FieldRef!.FieldPath.ShouldBe("status.podIP");
        fe.Env("ENV_FE_ADDR").ShouldBe("c-fe-service");
        fe.Env("FE_QUERY_PORT").ShouldBe("9030");
        fe.Env("ELECT_NUMBER").ShouldBe("3");
        fe.Env("USER").ShouldBe("root");
        cn.Env("COMPONENT_TYPE").ShouldBe("COMPUTE");
    }

    // upstream buildBaseEnvs: an adminUser replaces USER (and adds PASSWD) and DORIS_ROOT is then not set.
    [Fact]
    public void Env_WithAdminUser_HasNoDorisRoot()
    {
        var fe = Render.Yaml(Render.Head + "  adminUser: {name: ops, password: pw}\n  feSpec: {replicas: 1, image: f}\n").Get<StatefulSet>("c-fe").MainContainer();

        fe.Env!.Select(e => e.Name).ShouldBe(["POD_NAME", "POD_IP", "HOST_IP", "POD_NAMESPACE", "CONFIGMAP_MOUNT_PATH", "DNS_READY_TIMEOUT", "DNS_READY_INTERVAL", "USER", "PASSWD", "ENV_FE_ADDR", "FE_QUERY_PORT", "ELECT_NUMBER"]);
        fe.Env("USER").ShouldBe("ops");
    }

    // upstream merges the user's variables with its base ones (the user's win), then appends the component's
    // without looking: a user ENV_FE_ADDR stays first and the operator's, later, is the one the container sees.
    [Fact]
    public void Env_UserSetsOperatorNames_BaseOnesYieldComponentOnesAreAppended()
    {
        var be = Render.Yaml(Render.Head + "  feSpec: {replicas: 1, image: f}\n  beSpec: {replicas: 1, image: b, skipDefaultSystemInit: true, autoResolveLimitCPU: true, limits: {cpu: 2000m}, envVars: [{name: USER, value: me}, {name: ENV_FE_ADDR, value: mine}, {name: SKIP_CHECK_ULIMIT, value: \"false\"}]}\n")
            .Get<StatefulSet>("c-be").MainContainer();

        var names = be.Env!.Select(e => e.Name).ToList();
        names.ShouldBe(["USER", "ENV_FE_ADDR", "SKIP_CHECK_ULIMIT", "POD_NAME", "POD_IP", "HOST_IP", "POD_NAMESPACE", "CONFIGMAP_MOUNT_PATH", "DNS_READY_TIMEOUT", "DNS_READY_INTERVAL", "DORIS_ROOT", "SKIP_CHECK_ULIMIT", "BE_CPU_LIMIT", "ENV_FE_ADDR", "FE_QUERY_PORT"]);
        be.Env!.Last(e => e.Name == "ENV_FE_ADDR").Value.ShouldBe("c-fe-service");
        be.Env!.Single(e => e.Name == "USER").Value.ShouldBe("me");
        be.Env!.Single(e => e.Name == "BE_CPU_LIMIT").Value.ShouldBe("2", "printed as Kubernetes prints the quantity");
    }

    // upstream constructAffinity then addFeAntiAffinity: its own term, the user's preferred terms, then the FE term.
    [Fact]
    public void BeAntiAffinity_UserTerms_ComeBeforeTheFeTerm()
    {
        var be = Render.Yaml(Render.Head + "  feSpec: {replicas: 1, image: f}\n  beSpec: {replicas: 1, image: b, affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 7, podAffinityTerm: {topologyKey: rack, labelSelector: {matchLabels: {app: x}}}}]}}}\n")
            .Get<StatefulSet>("c-be");

        be.Spec!.Template!.Spec!.Affinity!.PodAntiAffinity!.PreferredDuringSchedulingIgnoredDuringExecution!.Select(t => t.Weight).ShouldBe([100, 7, 80]);
    }

    // upstream UseNewDefaultInitContainerImage: every BE init container on the default image gets the BE image.
    [Fact]
    public void InitContainers_BeUserInitWithoutImage_GetsTheBeImage()
    {
        var desired = Render.Yaml(Render.Head + "  feSpec: {replicas: 1, image: f}\n  beSpec: {replicas: 1, image: b, systemInitialization: {command: [/bin/sh], args: [-c, 'ulimit -n']}}\n  cnSpec: {replicas: 1, image: c, systemInitialization: {command: [/bin/sh]}}\n");

        desired.Get<StatefulSet>("c-be").Spec!.Template!.Spec!.InitContainers!.Select(i => (i.Name, i.Image)).ShouldBe([("default-init", "b"), ("init", "b")]);
        desired.Get<StatefulSet>("c-cn").Spec!.Template!.Spec!.InitContainers!.Select(i => (i.Name, i.Image)).ShouldBe([("default-init", "selectdb/alpine:latest"), ("init", "selectdb/alpine:latest")]);
    }

    [Fact]
    public void InitContainers_BeUsesOwnImage_CnDefaultImage_FeAndBrokerNone()
    {
        var be = Desired.Get<StatefulSet>("c-be").Spec!.Template!.Spec!.InitContainers!.Single();
        var cn = Desired.Get<StatefulSet>("c-cn").Spec!.Template!.Spec!.InitContainers!.Single();

        be.Name.ShouldBe("default-init");
        be.Image.ShouldBe("apache/doris:be-2.1.8");
        be.SecurityContext!.Privileged.ShouldBe(true);
        be.Args![1].ShouldContain("sysctl -w vm.max_map_count=2000000 && swapoff -a");
        be.Args[1].ShouldContain("transparent_hugepage/enabled");
        cn.Image.ShouldBe("selectdb/alpine:latest");
        Desired.Get<StatefulSet>("c-fe").Spec!.Template!.Spec!.InitContainers.ShouldBeNull();
        Desired.Get<StatefulSet>("c-broker").Spec!.Template!.Spec!.InitContainers.ShouldBeNull();
    }

    [Fact]
    public void Volumes_EmptyDirDataAndPodInfo_WhenNoPersistentVolumes()
    {
        var fe = Desired.Get<StatefulSet>("c-fe");

        fe.Spec!.Template!.Spec!.Volumes!.Select(v => v.Name).ShouldBe(["fe-meta", "podinfo"]);
        fe.MainContainer().VolumeMounts!.Select(m => (m.Name, m.MountPath)).ShouldBe([("podinfo", "/etc/podinfo"), ("fe-meta", "/opt/apache-doris/fe/doris-meta")]);
        fe.Spec.VolumeClaimTemplates.ShouldBeNull();
    }

    [Fact]
    public void Affinity_PreferredAntiAffinity_OnePerHostStrongestForFeAndBe_AndBeAvoidsFe()
    {
        var fe = Desired.Get<StatefulSet>("c-fe").Spec!.Template!.Spec!.Affinity!.PodAntiAffinity!.PreferredDuringSchedulingIgnoredDuringExecution!;
        var be = Desired.Get<StatefulSet>("c-be").Spec!.Template!.Spec!.Affinity!.PodAntiAffinity!.PreferredDuringSchedulingIgnoredDuringExecution!;

        fe.Single().Weight.ShouldBe(100, "upstream uses 20; see docs/compatibility.md");
        fe.Single().PodAffinityTerm!.TopologyKey.ShouldBe("kubernetes.io/hostname");
        be.Select(t => (t.Weight, t.PodAffinityTerm!.LabelSelector!.MatchExpressions![0].Values![0])).ShouldBe([(100, "be"), (80, "fe")]);
    }
}
