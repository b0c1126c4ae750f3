using Doris.Api.Disaggregated;
using Doris.Api.Naming;
using Doris.Kubernetes.Models;

namespace Doris.Desired.Disaggregated;

/// <summary>
/// The StatefulSets of a DorisDisaggregatedCluster as apache/doris-operator makes them. So far the meta service's
/// (<c>&lt;c&gt;-ms</c>, container "metaservice", two replicas by default, FoundationDB's address in FDB_ENDPOINT);
/// the FE's and the compute groups' follow.
/// </summary>
public static class DisaggregatedStatefulSetBuilder
{
    public static StatefulSet MetaService(DorisDisaggregatedCluster cluster, DisaggregatedConfigs configs)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(configs);
        var name = cluster.Metadata!.Name!;
        var ms = cluster.Spec!.MetaService!;
        var selector = DisaggregatedLabels.ComponentPods(name, "ms");
        var (storage, storageMounts, claims) = DisaggregatedVolumes.For(DisaggregatedRole.MetaService, ms, configs.MetaService);
        List<Volume> volumes = [DisaggregatedPodParts.PodInfo(), .. storage];
        List<VolumeMount> mounts = [DisaggregatedPodParts.PodInfoMount(), .. storageMounts];
        var (configVolumes, configMounts) = DisaggregatedPodParts.ConfigMaps(ms);
        var (liveness, startup, readiness) = DisaggregatedPodParts.Probes(ms, DisaggregatedPodParts.RootPath + "/ms_disaggregated_probe.sh");
        var env = DisaggregatedPodParts.Env(ms);
        if (configs.FdbEndpoint is { Length: > 0 } fdb)
        {
            env.Add(new EnvVar { Name = "FDB_ENDPOINT", Value = fdb });
        }

        var container = new Container
        {
            Name = "metaservice",
            Image = ms.Image,
            SecurityContext = ms.ContainerSecurityContext,
            Resources = DisaggregatedPodParts.Resources(ms),
            Command = [DisaggregatedPodParts.RootPath + "/ms_disaggregated_entrypoint.sh"],

            // Upstream declares the broker IPC port (8000) here, not the meta service's brpc_listen_port; kept, since
            // a changed container port would restart every adopted meta service pod.
            Ports = [new ContainerPort { Name = "broker-ipc-port", ContainerPortValue = configs.MetaService.BrokerIpcPort }],
            Env = env,
            VolumeMounts = mounts,
            LivenessProbe = liveness,
            StartupProbe = startup,
            ReadinessProbe = readiness,
            Lifecycle = DisaggregatedPodParts.PreStop(DisaggregatedPodParts.RootPath + "/ms_disaggregated_prestop.sh"),
        };
        volumes.AddRange(configVolumes);
        mounts.AddRange(configMounts);
        DisaggregatedPodParts.AddSecrets(ms, volumes, mounts);
        return DisaggregatedStatefulSetShape.Build(cluster, new DisaggregatedSetParts(DisaggregatedNames.MetaServiceStatefulSet(name), DisaggregatedLabels.Component(name, "ms"), selector, ms.Replicas ?? 2, DisaggregatedNames.MetaServiceStatefulSet(name), "ms", ms, container, volumes, claims, DisaggregatedPodParts.Affinity(name, ms.Affinity))
        {
            InitContainers = DisaggregatedPodParts.InitContainers(ms, defaultInit: false),
        });
    }
}
