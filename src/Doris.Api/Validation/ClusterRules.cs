using Doris.Api.V1;

namespace Doris.Api.Validation;

internal static class ClusterRules
{
    private static readonly string[] ComponentKeys = ["fe", "be", "cn", "broker"];

    public static void Check(DorisClusterSpec spec, List<ValidationIssue> issues)
    {
        if (spec.FeSpec is null)
        {
            issues.Add(ValidationIssue.Error("spec.feSpec", "missing; every DorisCluster needs frontends: add feSpec with replicas and image"));
        }

        if (spec.AdminUser is { } admin)
        {
            if (string.Equals(admin.Name, "admin", StringComparison.OrdinalIgnoreCase))
            {
                issues.Add(ValidationIssue.Error("spec.adminUser.name", $"'{admin.Name}' is Doris's built-in account and cannot be the management user; choose another name"));
            }
            else if (string.IsNullOrEmpty(admin.Name))
            {
                issues.Add(ValidationIssue.Error("spec.adminUser.name", "missing; set a user name or remove adminUser"));
            }

            issues.Add(ValidationIssue.Warning("spec.adminUser", "deprecated: its password is stored in the pod spec in clear text; put username/password in a kubernetes.io/basic-auth Secret and set spec.authSecret"));
        }

        if (spec.EnableZoneLocationTags == true)
        {
            issues.Add(ValidationIssue.Warning("spec.enableZoneLocationTags", "BEs and CNs get tag.location = their zone (us-east-1a -> us_east_1a); tables must then use " +
                "replication_allocation = \"tag.location.us_east_1a: 1, tag.location.us_east_1b: 1, ...\", and tables with the default allocation can no longer be created or repaired. Set default_replication_allocation in fe.conf to match"));
        }

        if (spec.AuthSecret is { Length: > 0 } secret && !KubernetesNames.IsDns1123Subdomain(secret))
        {
            issues.Add(ValidationIssue.Error("spec.authSecret", $"'{secret}' is not a valid Secret name; use lowercase letters, digits, '-' and '.'"));
        }

        if (spec.KerberosInfo is { } kerberos)
        {
            if (kerberos.KeytabPath is { Length: > 0 } keytab && !keytab.StartsWith('/'))
            {
                issues.Add(ValidationIssue.Error("spec.kerberosInfo.keytabPath", $"'{keytab}' is not an absolute path; start it with '/'"));
            }

            if (string.IsNullOrEmpty(kerberos.Krb5ConfigMap) != string.IsNullOrEmpty(kerberos.KeytabSecretName))
            {
                issues.Add(ValidationIssue.Warning("spec.kerberosInfo", "only one of krb5ConfigMap and keytabSecretName is set; Kerberos needs both krb5.conf and a keytab"));
            }
        }

        var shared = spec.SharedPersistentVolumeClaims ?? [];
        for (var i = 0; i < shared.Count; i++)
        {
            var path = $"spec.sharedPersistentVolumeClaims[{i}]";
            if (string.IsNullOrEmpty(shared[i].PersistentVolumeClaimName))
            {
                issues.Add(ValidationIssue.Error(path + ".persistentVolumeClaimName", "missing; name an existing ReadWriteMany PersistentVolumeClaim"));
            }

            if (string.IsNullOrEmpty(shared[i].MountPath))
            {
                issues.Add(ValidationIssue.Error(path + ".mountPath", "missing; set where the claim is mounted, e.g. '$DORIS_HOME/plugins'"));
            }
            else if (!shared[i].MountPath!.StartsWith('/') && !shared[i].MountPath!.StartsWith("$DORIS_HOME", StringComparison.Ordinal))
            {
                issues.Add(ValidationIssue.Error(path + ".mountPath", $"'{shared[i].MountPath}' is not absolute; start it with '/' or '$DORIS_HOME'"));
            }

            var supported = shared[i].SupportComponents ?? [];
            for (var j = 0; j < supported.Count; j++)
            {
                if (!ComponentKeys.Contains(supported[j]))
                {
                    issues.Add(ValidationIssue.Error($"{path}.supportComponents[{j}]", $"'{supported[j]}' is not a component; use fe, be, cn or broker (or leave the list empty for all)"));
                }
            }
        }
    }
}
