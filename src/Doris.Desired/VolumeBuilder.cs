using Doris.Api;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>Pod volumes, container mounts and claim templates, in upstream's order so pod templates compare equal on takeover.</summary>
internal static class VolumeBuilder
{
    public static (IReadOnlyList<Volume> Volumes, IReadOnlyList<VolumeMount> Mounts) Build(ComponentContext c, IReadOnlyList<PersistentVolume> persistent)
    {
        var volumes = new List<Volume>();
        var mounts = new List<VolumeMount> { new() { Name = "podinfo", MountPath = DorisDefaults.PodInfoMountPath } };
        var dataName = c.Component == DorisComponent.Fe ? "fe-meta" : "be-storage";
        var dataPath = c.Component == DorisComponent.Fe ? DorisDefaults.FeMetaDir : DorisDefaults.BeStorageDir;

        // Upstream quirk kept for pod-template equality: CN always carries the be-storage emptyDir,
        // brokers have no data volume, and only FE/BE list their claims as pod volumes.
        if (c.Component != DorisComponent.Broker && (persistent.Count == 0 || c.Component == DorisComponent.Cn))
        {
            volumes.Add(new Volume { Name = dataName, EmptyDir = new EmptyDirVolumeSource() });
        }

        if (persistent.Count == 0 && c.Component != DorisComponent.Broker)
        {
            mounts.Add(new VolumeMount { Name = dataName, MountPath = dataPath });
        }

        foreach (var pv in persistent)
        {
            if (c.Component is DorisComponent.Fe or DorisComponent.Be)
            {
                volumes.Add(new Volume { Name = pv.Name, PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = pv.Name } });
            }

            mounts.Add(new VolumeMount { Name = pv.Name, MountPath = pv.MountPath });
        }

        volumes.Add(new Volume
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
        });

        // Upstream lists the auth Secret's volume right after podinfo but mounts it after the ConfigMaps, Secrets and
        // Kerberos files (below): both orders are kept so an adopted pod template compares equal.
        if (c.ClusterSpec.AuthSecret is { Length: > 0 } auth)
        {
            volumes.Add(new Volume { Name = "basic-auth", Secret = new SecretVolumeSource { SecretName = auth } });
        }

        foreach (var (name, path) in ConfigMaps(c.Spec))
        {
            volumes.Add(new Volume { Name = name, ConfigMap = new ConfigMapVolumeSource { Name = name } });
            mounts.Add(new VolumeMount { Name = name, MountPath = path });
        }

        foreach (var secret in c.Spec.Secrets ?? [])
        {
            volumes.Add(new Volume { Name = secret.SecretName, Secret = new SecretVolumeSource { SecretName = secret.SecretName } });
            mounts.Add(new VolumeMount { Name = secret.SecretName, MountPath = string.IsNullOrEmpty(secret.MountPath) ? DorisDefaults.ConfigMountPath : secret.MountPath });
        }

        if (c.ClusterSpec.KerberosInfo is { } kerberos)
        {
            if (kerberos.Krb5ConfigMap is { Length: > 0 } krb5)
            {
                volumes.Add(new Volume { Name = "krb5", ConfigMap = new ConfigMapVolumeSource { Name = krb5 } });
                mounts.Add(new VolumeMount { Name = "krb5", MountPath = DorisDefaults.Krb5MountPath });
            }

            if (kerberos.KeytabSecretName is { Length: > 0 } keytab)
            {
                volumes.Add(new Volume { Name = "keytab", Secret = new SecretVolumeSource { SecretName = keytab } });
                mounts.Add(new VolumeMount { Name = "keytab", MountPath = DorisDefaults.KeytabMountPath });
            }
        }

        if (c.ClusterSpec.AuthSecret is { Length: > 0 })
        {
            mounts.Add(new VolumeMount { Name = "basic-auth", MountPath = DorisDefaults.BasicAuthMountPath });
        }

        foreach (var shared in c.ClusterSpec.SharedPersistentVolumeClaims ?? [])
        {
            if (shared.SupportComponents is { Count: > 0 } list && !list.Contains(c.Key))
            {
                continue;
            }

            volumes.Add(new Volume { Name = shared.PersistentVolumeClaimName, PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = shared.PersistentVolumeClaimName } });
            mounts.Add(new VolumeMount { Name = shared.PersistentVolumeClaimName, MountPath = PersistentVolumeResolver.ResolveHome(shared.MountPath ?? string.Empty, c.Component) });
        }

        return (volumes, mounts);
    }

    /// <summary>
    /// Claim templates; an Operator-provisioned volume's carries upstream's <c>selectdb.doris.com/pvc-manager:
    /// operator</c> marker (the operator, not the StatefulSet, owns its size). Upstream also stamps a hash of the
    /// claim spec computed by its Go library, which we do not reproduce: templates are immutable, so a live one keeps
    /// whatever it was created with.
    /// </summary>
    public static IReadOnlyList<PersistentVolumeClaim> ClaimTemplates(IReadOnlyList<PersistentVolume> persistent) =>
        [.. persistent.Select(pv => new PersistentVolumeClaim
        {
            Metadata = new ObjectMeta { Name = pv.Name, Annotations = Annotations(pv) },
            Spec = pv.PersistentVolumeClaimSpec,
        })];

    private static IReadOnlyDictionary<string, string>? Annotations(PersistentVolume pv)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (pv.Provisioner == "Operator")
        {
            annotations["selectdb.doris.com/pvc-manager"] = "operator";
        }

        foreach (var (key, value) in pv.Annotations ?? new Dictionary<string, string>())
        {
            annotations[key] = value;
        }

        return annotations.Count > 0 ? annotations : null;
    }

    /// <summary>Each distinct ConfigMap once: the core one at /etc/doris, then the additional ones at their paths.</summary>
    private static IEnumerable<(string Name, string Path)> ConfigMaps(ComponentSpec spec)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (spec.ConfigMapInfo?.ConfigMapName is { Length: > 0 } core && seen.Add(core))
        {
            yield return (core, DorisDefaults.ConfigMountPath);
        }

        foreach (var cm in spec.ConfigMapInfo?.ConfigMaps ?? [])
        {
            if (cm.ConfigMapName is { Length: > 0 } name && seen.Add(name))
            {
                yield return (name, string.IsNullOrEmpty(cm.MountPath) ? DorisDefaults.ConfigMountPath : cm.MountPath);
            }
        }
    }
}
