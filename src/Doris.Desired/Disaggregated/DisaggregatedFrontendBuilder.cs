using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Doris.Api.Disaggregated;
using Doris.Api.Naming;
using Doris.Kubernetes.Models;

namespace Doris.Desired.Disaggregated;

/// <summary>
/// The FE StatefulSet of a DorisDisaggregatedCluster as apache/doris-operator makes it (disaggregated_fe/statefulset.go):
/// container "fe" started by the disaggregated entrypoint with the FE Service's address, the meta service's endpoint
/// and the cluster id it registers under, log and meta directories in emptyDirs unless claimed, 330 s to shut down.
/// </summary>
public static class DisaggregatedFrontendBuilder
{
    public const int DefaultGraceSeconds = 330;

    public static StatefulSet Build(DorisDisaggregatedCluster cluster, DisaggregatedConfigs configs)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(configs);
        var name = cluster.Metadata!.Name!;
        var ns = cluster.Metadata.Namespace ?? "default";
        var spec = cluster.Spec!;
        var fe = spec.FeSpec!;
        var config = configs.Fe;
        var selector = DisaggregatedLabels.ComponentPods(name, "fe");
        var (configVolumes, configMounts) = DisaggregatedPodParts.ConfigMaps(fe);
        var (liveness, startup, readiness) = DisaggregatedPodParts.Probes(fe, DisaggregatedPodParts.RootPath + "/fe_disaggregated_probe.sh");
        var env = DisaggregatedPodParts.Env(fe);
        env.AddRange(
        [
            new EnvVar { Name = "MS_ENDPOINT", Value = $"{DisaggregatedNames.MetaServiceStatefulSet(name)}.{ns}:{configs.MetaService.BrpcListenPort}" },
            new EnvVar { Name = "CLUSTER_ID", Value = ClusterId(ns, name).ToString(CultureInfo.InvariantCulture) },
            new EnvVar { Name = "STATEFULSET_NAME", Value = DisaggregatedNames.FrontendStatefulSet(name) },
            new EnvVar { Name = "DNS_READY_TIMEOUT", Value = "120" },
            new EnvVar { Name = "DNS_READY_INTERVAL", Value = "2" },
            new EnvVar { Name = "ENV_FE_ADDR", Value = $"{DisaggregatedNames.FrontendStatefulSet(name)}.{ns}" },
            new EnvVar { Name = "ELECT_NUMBER", Value = (fe.ElectionNumber ?? DisaggregatedDefaults.ElectionNumber).ToString(CultureInfo.InvariantCulture) },
        ]);
        if (spec.AdminUser is { } admin)
        {
            env.Add(new EnvVar { Name = "USER", Value = admin.Name });
            env.Add(new EnvVar { Name = "PASSWD", Value = admin.Password });
        }

        var (storage, storageMounts, claims) = DisaggregatedVolumes.For(DisaggregatedRole.Frontend, fe, config);
        List<Volume> volumes = [DisaggregatedPodParts.PodInfo(), .. storage, .. configVolumes];
        List<VolumeMount> mounts = [DisaggregatedPodParts.PodInfoMount(), .. storageMounts, .. configMounts];
        if (spec.AuthSecret is { Length: > 0 } secret)
        {
            volumes.Add(new Volume { Name = "basic-auth", Secret = new SecretVolumeSource { SecretName = secret } });
            mounts.Add(new VolumeMount { Name = "basic-auth", MountPath = "/etc/basic_auth" });
        }

        DisaggregatedPodParts.AddSecrets(fe, volumes, mounts);
        DisaggregatedPodParts.AddKerberos(spec.KerberosInfo, frontend: true, config, env, volumes, mounts);
        var grace = long.TryParse(config.Get("grace_shutdown_wait_seconds"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : DefaultGraceSeconds;
        var container = new Container
        {
            Name = "fe",
            Image = fe.Image,
            SecurityContext = fe.ContainerSecurityContext,
            Resources = DisaggregatedPodParts.Resources(fe),
            Command = [DisaggregatedPodParts.RootPath + "/fe_disaggregated_entrypoint.sh"],
            Args = ["$(ENV_FE_ADDR)"],
            Ports =
            [
                Tcp("http-port", config.HttpPort), Tcp("rpc-port", config.RpcPort), Tcp("query-port", config.QueryPort), Tcp("edit-log-port", config.EditLogPort),
                .. config.ArrowFlightPort is { } arrow ? [Tcp("arrow-flight", arrow)] : Array.Empty<ContainerPort>(),
            ],
            Env = env,
            VolumeMounts = mounts,
            LivenessProbe = liveness,
            StartupProbe = startup,
            ReadinessProbe = readiness,
            Lifecycle = DisaggregatedPodParts.PreStop(DisaggregatedPodParts.RootPath + "/fe_disaggregated_prestop.sh"),
        };
        return DisaggregatedStatefulSetShape.Build(cluster, new DisaggregatedSetParts(DisaggregatedNames.FrontendStatefulSet(name), DisaggregatedLabels.Component(name, "fe"), selector, fe.Replicas, name + "-fe-internal", "fe", fe, container, volumes, claims, DisaggregatedPodParts.Affinity(name, fe.Affinity))
        {
            GraceSeconds = grace,
            InitContainers = DisaggregatedPodParts.InitContainers(fe, defaultInit: false),
        });
    }

    /// <summary>
    /// The id the FE registers the cluster under with the meta service: SHA-256 of "namespace-name" read as an unsigned
    /// big-endian number, mod 10^9, plus 10^9 (upstream's GetInstanceHashId), so it stays the same across restarts.
    /// </summary>
    public static long ClusterId(string ns, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(ns + "-" + name));
        var value = new BigInteger(hash, isUnsigned: true, isBigEndian: true);
        return (long)(BigInteger.Remainder(value, 1_000_000_000) + 1_000_000_000);
    }

    private static ContainerPort Tcp(string name, int port) => new() { Name = name, ContainerPortValue = port, Protocol = "TCP" };
}
