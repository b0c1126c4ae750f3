using System.Globalization;
using System.Text.Json;
using Doris.Api.Disaggregated;
using Doris.Api.Naming;
using Doris.Kubernetes.Models;

namespace Doris.Desired.Disaggregated;

/// <summary>
/// A compute group's StatefulSet as apache/doris-operator makes it (computegroups/statefulset.go): container
/// "compute" started by the disaggregated entrypoint with the FE Service's address and query port and the group's
/// name; log and file-cache directories (be.conf's file_cache_path) in emptyDirs unless claimed; host tuning in
/// default-init unless skipped; 200 s to shut down; pods spread by the group's id.
/// </summary>
public static class DisaggregatedComputeGroupBuilder
{
    public const int DefaultGraceSeconds = 200;
    public const string DefaultCachePath = DisaggregatedPodParts.RootPath + "/be/file_cache";

    public static StatefulSet Build(DorisDisaggregatedCluster cluster, ComputeGroup group, DisaggregatedConfigs configs)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(configs);
        var name = cluster.Metadata!.Name!;
        var ns = cluster.Metadata.Namespace ?? "default";
        var spec = cluster.Spec!;
        var id = group.UniqueId!;
        var config = configs.For(group);
        var setName = DisaggregatedNames.ComputeGroupStatefulSet(name, id);
        var selector = DisaggregatedLabels.ComputeGroupPods(name, id);
        // Workload groups need cgroup access: upstream makes the container privileged for them.
        var securityContext = group.EnableWorkloadGroup == true ? (group.ContainerSecurityContext ?? new SecurityContext()) with { Privileged = true } : group.ContainerSecurityContext;
        var (configVolumes, configMounts) = DisaggregatedPodParts.ConfigMaps(group);
        var (liveness, startup, readiness) = DisaggregatedPodParts.Probes(group, DisaggregatedPodParts.RootPath + "/be_disaggregated_probe.sh");
        var env = DisaggregatedPodParts.Env(group);
        env.AddRange(
        [
            new EnvVar { Name = "STATEFULSET_NAME", Value = setName },
            new EnvVar { Name = "COMPUTE_GROUP_NAME", Value = id.Replace('-', '_') },
            new EnvVar { Name = "HOST_TYPE", Value = "FQDN" },
            new EnvVar { Name = "ENV_FE_ADDR", Value = $"{DisaggregatedNames.FrontendStatefulSet(name)}.{ns}" },
            new EnvVar { Name = "FE_QUERY_PORT", Value = configs.Fe.QueryPort.ToString(CultureInfo.InvariantCulture) },
        ]);
        if (spec.AdminUser is { } admin)
        {
            env.Add(new EnvVar { Name = "USER", Value = admin.Name });
            env.Add(new EnvVar { Name = "PASSWD", Value = admin.Password });
        }

        if (group.EnableWorkloadGroup == true)
        {
            env.Add(new EnvVar { Name = "ENABLE_WORKLOAD_GROUP", Value = "true" });
        }

        if (group.SkipDefaultSystemInit == true)
        {
            env.Add(new EnvVar { Name = "SKIP_CHECK_ULIMIT", Value = "true" });
        }

        if (group.AutoResolveLimitCpu == true && group.Limits?.GetValueOrDefault("cpu") is { } cpu)
        {
            env.Add(new EnvVar { Name = "BE_CPU_LIMIT", Value = cpu.Value });
        }

        var (storage, storageMounts, claims) = DisaggregatedVolumes.For(DisaggregatedRole.ComputeGroup, group, config);
        List<Volume> volumes = [DisaggregatedPodParts.PodInfo(), .. configVolumes, .. storage, Empty("doris-graceful-runtime")];
        List<VolumeMount> mounts = [DisaggregatedPodParts.PodInfoMount(), .. storageMounts, .. configMounts, new() { Name = "doris-graceful-runtime", MountPath = "/var/run/doris-operator" }];
        if (spec.AuthSecret is { Length: > 0 } secret)
        {
            volumes.Add(new Volume { Name = "basic-auth", Secret = new SecretVolumeSource { SecretName = secret } });
            mounts.Add(new VolumeMount { Name = "basic-auth", MountPath = "/etc/basic_auth" });
        }

        DisaggregatedPodParts.AddSecrets(group, volumes, mounts);
        DisaggregatedPodParts.AddKerberos(spec.KerberosInfo, frontend: false, config, env, volumes, mounts);
        var grace = long.TryParse(config.Get("grace_shutdown_wait_seconds"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : DefaultGraceSeconds;
        var container = new Container
        {
            Name = "compute",
            Image = group.Image,
            SecurityContext = securityContext,
            Resources = DisaggregatedPodParts.Resources(group),
            Command = [DisaggregatedPodParts.RootPath + "/be_disaggregated_entrypoint.sh"],
            Args = ["$(ENV_FE_ADDR)"],
            Ports =
            [
                new ContainerPort { Name = "be-port", ContainerPortValue = config.BePort },
                Tcp("webserver-port", config.WebServerPort), Tcp("heartbeat-port", config.HeartbeatPort), Tcp("brpc-port", config.BrpcPort),
                .. config.ArrowFlightPort is { } arrow ? [Tcp("arrow-flight", arrow)] : Array.Empty<ContainerPort>(),
            ],
            Env = env,
            VolumeMounts = mounts,
            LivenessProbe = liveness,
            StartupProbe = startup,
            ReadinessProbe = readiness,
            Lifecycle = DisaggregatedPodParts.PreStop(DisaggregatedPodParts.RootPath + "/be_disaggregated_prestop.sh"),
        };
        return DisaggregatedStatefulSetShape.Build(cluster, new DisaggregatedSetParts(setName, DisaggregatedLabels.ComputeGroupObjects(name, id), selector, group.Replicas, setName, "be", group, container, volumes, claims, DisaggregatedPodParts.Affinity(DisaggregatedLabels.ComputeGroup, id, group.Affinity))
        {
            GraceSeconds = grace,
            InitContainers = DisaggregatedPodParts.InitContainers(group, defaultInit: group.SkipDefaultSystemInit != true),
        });
    }

    /// <summary>be.conf's file_cache_path (a JSON list of {path, total_size}); the default cache directory without it.</summary>
    public static IReadOnlyList<string> CachePaths(string? fileCachePath)
    {
        if (fileCachePath is null)
        {
            return [DefaultCachePath];
        }

        try
        {
            using var doc = JsonDocument.Parse(fileCachePath);
            return [.. doc.RootElement.EnumerateArray().Select(e => e.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null).OfType<string>()];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return []; // upstream mounts no cache volume then; validation reports the setting
        }
    }

    private static Volume Empty(string name) => new() { Name = name, EmptyDir = new EmptyDirVolumeSource() };

    private static ContainerPort Tcp(string name, int port) => new() { Name = name, ContainerPortValue = port, Protocol = "TCP" };
}
