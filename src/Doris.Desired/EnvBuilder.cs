using System.Globalization;
using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>
/// The main container's environment, in upstream's order: the user's variables first, then the operator's base
/// variables whose names the user did not set, then the component's (always). The entrypoint scripts of the
/// official images read these.
/// </summary>
internal static class EnvBuilder
{
    public static IReadOnlyList<EnvVar> Build(ComponentContext c)
    {
        var env = new List<EnvVar>(c.Spec.EnvVars ?? []);
        var taken = env.Where(e => e.Name is not null).Select(e => e.Name!).ToHashSet(StringComparer.Ordinal);

        void Add(EnvVar v)
        {
            if (taken.Add(v.Name!))
            {
                env.Add(v);
            }
        }

        Add(Field("POD_NAME", "metadata.name"));
        Add(Field("POD_IP", "status.podIP"));
        Add(Field("HOST_IP", "status.hostIP"));
        Add(Field("POD_NAMESPACE", "metadata.namespace"));
        Add(Value("CONFIGMAP_MOUNT_PATH", DorisDefaults.ConfigMountPath));
        Add(Value("DNS_READY_TIMEOUT", "120"));
        Add(Value("DNS_READY_INTERVAL", "2"));
        if (c.ClusterSpec.AdminUser is { } admin)
        {
            // As upstream: with an adminUser, USER is its name (PASSWD when it has one) and DORIS_ROOT is not set.
            Add(Value("USER", admin.Name ?? string.Empty));
            if (!string.IsNullOrEmpty(admin.Password))
            {
                Add(Value("PASSWD", admin.Password));
            }
        }
        else
        {
            Add(Value("USER", "root"));
            Add(Value("DORIS_ROOT", DorisDefaults.DorisRoot));
        }

        if (c.ClusterSpec.KerberosInfo is { } kerberos)
        {
            Add(Value("KRB5_MOUNT_PATH", DorisDefaults.Krb5MountPath));
            Add(Value("KRB5_CONFIG", Krb5ConfigPath(c)));
            Add(Value("KEYTAB_MOUNT_PATH", DorisDefaults.KeytabMountPath));
            Add(Value("KEYTAB_FINAL_USED_PATH", string.IsNullOrEmpty(kerberos.KeytabPath) ? DorisDefaults.KeytabMountPath : kerberos.KeytabPath));
        }

        // From here on upstream appends without looking at the user's variables: a user variable of the same name
        // stays, earlier in the list, and the later one (ours) is what the container sees. Kept identical so an
        // adopted cluster's pods do not roll; docs/compatibility.md says so.
        var skipInit = c.Spec switch
        {
            BeSpec be => be.SkipDefaultSystemInit == true,
            CnSpec cn => cn.SkipDefaultSystemInit == true,
            _ => false,
        };
        if (skipInit)
        {
            env.Add(Value("SKIP_CHECK_ULIMIT", "true"));
        }

        var autoCpu = c.Spec switch
        {
            BeSpec be => be.AutoResolveLimitCpu == true,
            CnSpec cn => cn.AutoResolveLimitCpu == true,
            _ => false,
        };
        if (autoCpu)
        {
            // Upstream prints the limit in Kubernetes' canonical form ("2000m" is "2", "0.5" is "500m"; none is "0").
            env.Add(Value("BE_CPU_LIMIT", c.Spec.Limits?.TryGetValue("cpu", out var cpu) == true ? cpu.Canonical() : "0"));
        }

        var (address, port) = FeAddress(c);
        env.Add(Value("ENV_FE_ADDR", address));
        env.Add(Value("FE_QUERY_PORT", port.ToString(CultureInfo.InvariantCulture)));
        switch (c.Spec)
        {
            case FeSpec fe:
                env.Add(Value("ELECT_NUMBER", (fe.ElectionNumber ?? DorisDefaults.ElectionNumber).ToString(CultureInfo.InvariantCulture)));
                break;
            case BeSpec { EnableWorkloadGroup: true }:
                env.Add(Value("ENABLE_WORKLOAD_GROUP", "true"));
                break;
            case CnSpec:
                env.Add(Value("COMPONENT_TYPE", "COMPUTE"));
                break;
        }

        return env;
    }

    /// <summary>The FE this component joins: its own feAddress, else feSpec's, else the cluster's FE Service.</summary>
    internal static (string Address, int Port) FeAddress(ComponentContext c)
    {
        var endpoints = c.Spec.FeAddress?.Endpoints is { Address.Count: > 0 } own ? own : c.ClusterSpec.FeSpec?.FeAddress?.Endpoints;
        if (endpoints is { Address.Count: > 0 } e)
        {
            return (string.Join(",", e.Address), e.Port is > 0 ? e.Port.Value : c.FeConfig.QueryPort);
        }

        return (DorisNames.ExternalService(c.Name, DorisComponent.Fe), c.FeConfig.QueryPort);
    }

    private static string Krb5ConfigPath(ComponentContext c) => KerberosPaths.Krb5Config(c.Component == DorisComponent.Fe, c.Config);

    private static EnvVar Value(string name, string value) => new() { Name = name, Value = value };

    private static EnvVar Field(string name, string path) =>
        new() { Name = name, ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = path } } };
}
