using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Api.Validation;

/// <summary>Volumes and mounts: names, sizes, and no two volumes at one path (the API server rejects such pods).</summary>
internal static class VolumeRules
{
    private static readonly string[] AccessModes = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];

    public static void Check(DorisComponent component, DorisClusterSpec cluster, ComponentSpec spec, string path, List<ValidationIssue> issues)
    {
        // mount path -> the field that claimed it first
        var mounts = new Dictionary<string, string>(StringComparer.Ordinal);
        var shared = SharedMountPaths(component, cluster);
        CheckPersistentVolumes(component, spec.PersistentVolumes ?? [], path + ".persistentVolumes", shared, mounts, issues);

        var info = spec.ConfigMapInfo;
        if (info?.ResolveKey is { Length: > 0 })
        {
            issues.Add(ValidationIssue.Warning(path + ".configMapInfo.resolveKey", "is deprecated and ignored: the key is always fe.conf, be.conf or apache_hdfs_broker.conf; remove it"));
        }

        if (info?.ConfigMapName is { Length: > 0 } core)
        {
            CheckName(core, path + ".configMapInfo.configMapName", "ConfigMap", issues);
            Claim(DorisDefaults.ConfigMountPath, path + ".configMapInfo.configMapName", mounts, issues);
        }

        var configMaps = info?.ConfigMaps ?? [];
        for (var i = 0; i < configMaps.Count; i++)
        {
            var p = $"{path}.configMapInfo.configMaps[{i}]";
            if (string.IsNullOrEmpty(configMaps[i].ConfigMapName))
            {
                issues.Add(ValidationIssue.Error(p + ".configMapName", "missing; name the ConfigMap to mount"));
                continue;
            }

            CheckName(configMaps[i].ConfigMapName!, p + ".configMapName", "ConfigMap", issues);
            if (configMaps[i].ConfigMapName == info?.ConfigMapName && (configMaps[i].MountPath ?? string.Empty) is "" or DorisDefaults.ConfigMountPath)
            {
                continue; // the core ConfigMap listed again is one volume
            }

            MountAt(configMaps[i].MountPath, p + ".mountPath", mounts, issues);
        }

        var secrets = spec.Secrets ?? [];
        for (var i = 0; i < secrets.Count; i++)
        {
            var p = $"{path}.secrets[{i}]";
            if (string.IsNullOrEmpty(secrets[i].SecretName))
            {
                issues.Add(ValidationIssue.Error(p + ".secretName", "missing; name the Secret to mount"));
                continue;
            }

            CheckName(secrets[i].SecretName!, p + ".secretName", "Secret", issues);
            MountAt(secrets[i].MountPath, p + ".mountPath", mounts, issues);
        }

        if (cluster.AuthSecret is { Length: > 0 })
        {
            Claim(DorisDefaults.BasicAuthMountPath, "spec.authSecret", mounts, issues);
        }

        if (cluster.KerberosInfo is { } kerberos)
        {
            if (kerberos.Krb5ConfigMap is { Length: > 0 })
            {
                Claim(DorisDefaults.Krb5MountPath, "spec.kerberosInfo.krb5ConfigMap", mounts, issues);
            }

            if (kerberos.KeytabSecretName is { Length: > 0 })
            {
                Claim(DorisDefaults.KeytabMountPath, "spec.kerberosInfo.keytabSecretName", mounts, issues);
            }
        }
    }

    private static void CheckPersistentVolumes(DorisComponent component, IReadOnlyList<PersistentVolume> volumes, string path, ISet<string> shared, Dictionary<string, string> mounts, List<ValidationIssue> issues)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var templates = 0;
        for (var i = 0; i < volumes.Count; i++)
        {
            var v = volumes[i];
            var p = $"{path}[{i}]";
            if (string.IsNullOrEmpty(v.Name))
            {
                issues.Add(ValidationIssue.Error(p + ".name", "missing; name the volume (it becomes the PVC name prefix), e.g. be-storage"));
            }
            else if (!KubernetesNames.IsDns1123Label(v.Name))
            {
                issues.Add(ValidationIssue.Error(p + ".name", $"'{v.Name}' is not a valid volume name; use lowercase letters, digits and '-'"));
            }
            else if (!names.Add(v.Name))
            {
                issues.Add(ValidationIssue.Error(p + ".name", $"'{v.Name}' is used by another volume of this component; give each volume its own name"));
            }

            CheckClaimSpec(v.PersistentVolumeClaimSpec, p + ".persistentVolumeClaimSpec", issues);
            if (string.IsNullOrEmpty(v.MountPath))
            {
                templates++;
                if (component == DorisComponent.Broker)
                {
                    issues.Add(ValidationIssue.Warning(p + ".mountPath", "brokers store no data, so a volume without mountPath is ignored; set mountPath"));
                }
                else if (templates > 1)
                {
                    issues.Add(ValidationIssue.Warning(p + ".mountPath", "a second volume without mountPath replaces the first (only the last template is used); give the others a mountPath"));
                }

                continue;
            }

            if (!shared.Contains(v.MountPath!))
            {
                MountAt(v.MountPath, p + ".mountPath", mounts, issues);
            }
        }
    }

    private static void CheckClaimSpec(PersistentVolumeClaimSpec? claim, string path, List<ValidationIssue> issues)
    {
        if (claim is null)
        {
            issues.Add(ValidationIssue.Error(path, "missing; give at least resources.requests.storage (e.g. 100Gi) and accessModes [ReadWriteOnce]"));
            return;
        }

        // `storage:` with nothing after it reads as a key with a null value: as good as missing.
        if (claim.Resources?.Requests?.TryGetValue("storage", out var storage) != true || storage is null)
        {
            issues.Add(ValidationIssue.Error(path + ".resources.requests.storage", "missing; a persistent volume needs a size, e.g. storage: 100Gi"));
        }
        else if (Quantity.TryParse(storage!.Value, out var bytes) && bytes <= 0)
        {
            issues.Add(ValidationIssue.Error(path + ".resources.requests.storage", $"'{storage.Value}' is not a usable size; use a positive size such as 100Gi"));
        }
        else if (PhysicalBounds.CheckStorage(storage.Value) is { } problem)
        {
            issues.Add(ValidationIssue.Error(path + ".resources.requests.storage", problem));
        }

        var modes = claim.AccessModes ?? [];
        for (var i = 0; i < modes.Count; i++)
        {
            if (!AccessModes.Contains(modes[i]))
            {
                issues.Add(ValidationIssue.Error($"{path}.accessModes[{i}]", $"'{modes[i]}' is not an access mode; use ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod"));
            }
        }

        if (claim.StorageClassName is { Length: > 0 } sc && !KubernetesNames.IsDns1123Subdomain(sc))
        {
            issues.Add(ValidationIssue.Error(path + ".storageClassName", $"'{sc}' is not a valid StorageClass name; use lowercase letters, digits, '-' and '.'"));
        }
    }

    private static void MountAt(string? mountPath, string field, Dictionary<string, string> mounts, List<ValidationIssue> issues)
    {
        var target = string.IsNullOrEmpty(mountPath) ? DorisDefaults.ConfigMountPath : mountPath;
        if (!target.StartsWith('/'))
        {
            issues.Add(ValidationIssue.Error(field, $"'{target}' is not an absolute path; start it with '/'"));
            return;
        }

        Claim(target.TrimEnd('/') is { Length: > 0 } t ? t : "/", field, mounts, issues);
    }

    private static void Claim(string mountPath, string field, Dictionary<string, string> mounts, List<ValidationIssue> issues)
    {
        if (mounts.TryGetValue(mountPath, out var first))
        {
            issues.Add(ValidationIssue.Error(field, $"mount path '{mountPath}' is already used by {first}; Kubernetes rejects two volumes at one path, so choose another path"));
        }
        else
        {
            mounts[mountPath] = field;
        }
    }

    private static void CheckName(string name, string path, string kind, List<ValidationIssue> issues)
    {
        if (!KubernetesNames.IsDns1123Subdomain(name))
        {
            issues.Add(ValidationIssue.Error(path, $"'{name}' is not a valid {kind} name; use lowercase letters, digits, '-' and '.'"));
        }
    }

    private static HashSet<string> SharedMountPaths(DorisComponent component, DorisClusterSpec cluster) =>
        [.. (cluster.SharedPersistentVolumeClaims ?? [])
            .Where(s => s.SupportComponents is not { Count: > 0 } list || list.Contains(component.Key()))
            .Select(s => s.MountPath ?? string.Empty)];
}
