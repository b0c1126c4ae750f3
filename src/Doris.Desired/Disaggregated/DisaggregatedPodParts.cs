using Doris.Api.Crd;
using Doris.Api.Disaggregated;
using Doris.Kubernetes.Models;
using V1Kerberos = Doris.Api.V1.KerberosInfo;

namespace Doris.Desired.Disaggregated;

/// <summary>
/// The pieces every DorisDisaggregatedCluster pod shares, as upstream builds them (NewPodTemplateSpecWithCommonSpec,
/// NewContainerWithCommonSpec, GetPodDefaultEnv, BuildDisaggregatedProbe, NewDefaultStatefulset).
/// </summary>
internal static class DisaggregatedPodParts
{
    public const string RootPath = "/opt/apache-doris";

    /// <summary>Upstream's owner reference (no controller flags); none before the API server has given the cluster a uid.</summary>
    public static OwnerReference[]? Owners(DorisDisaggregatedCluster cluster) => cluster.Metadata!.Uid is { Length: > 0 } uid
        ? [new OwnerReference { ApiVersion = DorisDisaggregatedClusterCrd.ApiVersion, Kind = DorisDisaggregatedClusterCrd.Kind, Name = cluster.Metadata.Name!, Uid = uid }]
        : null;

    public static Volume PodInfo() => new()
    {
        Name = "podinfo",
        DownwardAPI = new DownwardAPIVolumeSource
        {
            Items =
            [
                new DownwardAPIVolumeFile { Path = "labels", FieldRef = new ObjectFieldSelector { FieldPath = "metadata.labels" } },
                new DownwardAPIVolumeFile { Path = "annotations", FieldRef = new ObjectFieldSelector { FieldPath = "metadata.annotations" } },
            ],
        },
    };

    public static VolumeMount PodInfoMount() => new() { Name = "podinfo", MountPath = "/etc/podinfo" };

    /// <summary>The user's variables first, then the pod's own (name, IPs, namespace, config path, DNS wait).</summary>
    public static List<EnvVar> Env(DisaggregatedComponentSpec spec) =>
    [
        .. spec.EnvVars ?? [],
        Field("POD_NAME", "metadata.name"),
        Field("POD_IP", "status.podIP"),
        Field("HOST_IP", "status.hostIP"),
        Field("POD_NAMESPACE", "metadata.namespace"),
        new EnvVar { Name = "CONFIGMAP_MOUNT_PATH", Value = "/etc/doris" },
        new EnvVar { Name = "DNS_READY_TIMEOUT", Value = "120" },
        new EnvVar { Name = "DNS_READY_INTERVAL", Value = "2" },
    ];

    /// <summary>Liveness, startup and readiness through the image's probe script ("alive", "ready").</summary>
    public static (Probe Liveness, Probe Startup, Probe Readiness) Probes(DisaggregatedComponentSpec spec, string script)
    {
        var start = spec.StartTimeout is >= 360 and var s ? s : 360;
        var live = spec.LiveTimeout is >= 1 and var l ? l : 180;
        ProbeHandlerParts Exec(string what) => new([script, what]);
        var readiness = new Probe { Exec = Exec("ready").Action, PeriodSeconds = 5, FailureThreshold = 3 };
        if (spec.ReadinessProbePolicy is { } policy)
        {
            readiness = readiness with
            {
                TimeoutSeconds = policy.TimeoutSeconds is > 0 ? policy.TimeoutSeconds : readiness.TimeoutSeconds,
                FailureThreshold = policy.FailureThreshold is > 0 ? policy.FailureThreshold : readiness.FailureThreshold,
                PeriodSeconds = policy.PeriodSeconds is > 0 ? policy.PeriodSeconds : readiness.PeriodSeconds,
            };
        }

        return (
            new Probe { Exec = Exec("alive").Action, PeriodSeconds = 5, FailureThreshold = 3, InitialDelaySeconds = 80, TimeoutSeconds = live },
            new Probe { Exec = Exec("alive").Action, PeriodSeconds = 5, FailureThreshold = start / 5 },
            readiness);
    }

    public static Lifecycle PreStop(string script) => new() { PreStop = new LifecycleHandler { Exec = new ExecAction { Command = [script] } } };

    /// <summary>Upstream's default: prefer hosts without another pod of this cluster (weight 20), plus the user's.</summary>
    public static Affinity Affinity(string cluster, Affinity? user) => Affinity(DisaggregatedLabels.Cluster, cluster, user);

    /// <summary>Prefer hosts without another pod whose <paramref name="key"/> label is <paramref name="value"/> (weight 20), plus the user's.</summary>
    public static Affinity Affinity(string key, string value, Affinity? user)
    {
        var preferred = new List<WeightedPodAffinityTerm>
        {
            new()
            {
                Weight = 20,
                PodAffinityTerm = new PodAffinityTerm
                {
                    LabelSelector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = key, Operator = "In", Values = [value] }] },
                    TopologyKey = "kubernetes.io/hostname",
                },
            },
        };
        preferred.AddRange(user?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []);
        return new Affinity
        {
            PodAntiAffinity = new PodAntiAffinity { PreferredDuringSchedulingIgnoredDuringExecution = preferred, RequiredDuringSchedulingIgnoredDuringExecution = user?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution },
            NodeAffinity = user?.NodeAffinity,
            PodAffinity = user?.PodAffinity,
        };
    }

    /// <summary>Resources as the spec gives them; none when the spec sets none.</summary>
    public static ResourceRequirements? Resources(DisaggregatedComponentSpec spec) =>
        spec.Requests is null && spec.Limits is null && spec.Claims is null ? null : new ResourceRequirements { Requests = spec.Requests, Limits = spec.Limits, Claims = spec.Claims };

    /// <summary>ConfigMaps mounted where the spec says, or at the config directory (/etc/doris).</summary>
    public static (List<Volume> Volumes, List<VolumeMount> Mounts) ConfigMaps(DisaggregatedComponentSpec spec)
    {
        var maps = (spec.ConfigMaps ?? []).Where(m => m.Name is not null).ToList();
        return ([.. maps.Select(m => new Volume { Name = m.Name, ConfigMap = new ConfigMapVolumeSource { Name = m.Name } })],
            [.. maps.Select(m => new VolumeMount { Name = m.Name, MountPath = string.IsNullOrEmpty(m.MountPath) ? "/etc/doris" : m.MountPath })]);
    }

    /// <summary>default-init tunes a compute node's host (vm.max_map_count, swap off; privileged), then the user's init.</summary>
    public static List<Container>? InitContainers(DisaggregatedComponentSpec spec, bool defaultInit)
    {
        var image = spec.SystemInitialization?.InitImage is { Length: > 0 } custom ? custom : "selectdb/alpine:latest";
        var list = new List<Container>();
        if (defaultInit)
        {
            list.Add(new Container
            {
                Name = "default-init",
                Image = image,
                ImagePullPolicy = "IfNotPresent",
                Command = ["/bin/sh"],
                Args = ["-c", "sysctl -w vm.max_map_count=2000000 && swapoff -a"],
                SecurityContext = new SecurityContext { Privileged = true },
            });
        }

        if (spec.SystemInitialization is { } si)
        {
            list.Add(new Container
            {
                Name = "init",
                Image = image,
                ImagePullPolicy = "IfNotPresent",
                Command = si.Command is { Count: > 0 } c ? [.. c] : null,
                Args = si.Args is { Count: > 0 } a ? [.. a] : null,
                Resources = si.Requests is null && si.Limits is null ? null : new ResourceRequirements { Requests = si.Requests, Limits = si.Limits, Claims = si.Claims },
                SecurityContext = new SecurityContext { Privileged = true },
            });
        }

        return list.Count == 0 ? null : list;
    }

    /// <summary>Secrets mounted where the spec says, or at the config directory; the volume is named after the Secret.</summary>
    public static void AddSecrets(DisaggregatedComponentSpec spec, List<Volume> volumes, List<VolumeMount> mounts)
    {
        foreach (var secret in (spec.Secrets ?? []).Where(s => s.SecretName is not null))
        {
            volumes.Add(new Volume { Name = secret.SecretName, Secret = new SecretVolumeSource { SecretName = secret.SecretName } });
            mounts.Add(new VolumeMount { Name = secret.SecretName, MountPath = string.IsNullOrEmpty(secret.MountPath) ? "/etc/doris" : secret.MountPath });
        }
    }

    /// <summary>Kerberos for FE and compute groups: krb5.conf and keytab mounted, their paths in the environment (appended last, as upstream).</summary>
    public static void AddKerberos(V1Kerberos? kerberos, bool frontend, Doris.Api.Config.ComponentConfig config, List<EnvVar> env, List<Volume> volumes, List<VolumeMount> mounts)
    {
        if (kerberos is null)
        {
            return;
        }

        env.Add(new EnvVar { Name = "KRB5_MOUNT_PATH", Value = Doris.Api.DorisDefaults.Krb5MountPath });
        env.Add(new EnvVar { Name = "KRB5_CONFIG", Value = KerberosPaths.Krb5Config(frontend, config) });
        env.Add(new EnvVar { Name = "KEYTAB_MOUNT_PATH", Value = Doris.Api.DorisDefaults.KeytabMountPath });
        env.Add(new EnvVar { Name = "KEYTAB_FINAL_USED_PATH", Value = string.IsNullOrEmpty(kerberos.KeytabPath) ? Doris.Api.DorisDefaults.KeytabMountPath : kerberos.KeytabPath });
        if (kerberos.Krb5ConfigMap is { Length: > 0 } krb5)
        {
            volumes.Add(new Volume { Name = "krb5", ConfigMap = new ConfigMapVolumeSource { Name = krb5 } });
            mounts.Add(new VolumeMount { Name = "krb5", MountPath = Doris.Api.DorisDefaults.Krb5MountPath });
        }

        if (kerberos.KeytabSecretName is { Length: > 0 } keytab)
        {
            volumes.Add(new Volume { Name = "keytab", Secret = new SecretVolumeSource { SecretName = keytab } });
            mounts.Add(new VolumeMount { Name = "keytab", MountPath = Doris.Api.DorisDefaults.KeytabMountPath });
        }
    }

    public static StatefulSetSpec DefaultSpec() => new()
    {
        PodManagementPolicy = "Parallel",
        RevisionHistoryLimit = 5,
        UpdateStrategy = new StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new RollingUpdateStatefulSetStrategy { Partition = 0 } },
    };

    private static EnvVar Field(string name, string path) =>
        new() { Name = name, ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = path } } };

    private readonly record struct ProbeHandlerParts(IReadOnlyList<string> Command)
    {
        public ExecAction Action => new() { Command = [.. Command] };
    }
}
