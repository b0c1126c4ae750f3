using Doris.Api.Config;

namespace Doris.Desired;

/// <summary>Where Doris reads krb5.conf, as upstream finds it: the FE's -Djava.security.krb5.conf in its JVM options, a BE's kerberos_krb5_conf_path.</summary>
public static class KerberosPaths
{
    public const string DefaultKrb5Conf = "/etc/krb5.conf";

    public static string Krb5Config(bool frontend, ComponentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        const string Flag = "-Djava.security.krb5.conf=";
        if (frontend)
        {
            foreach (var key in new[] { "java_opts_for_jdk_17", "java_opts" })
            {
                if (config.Get(key) is { } opts && opts.IndexOf(Flag, StringComparison.Ordinal) is var at and >= 0)
                {
                    return opts[(at + Flag.Length)..].Split(' ', '"')[0];
                }
            }
        }
        else if (config.Get("kerberos_krb5_conf_path") is { } path)
        {
            return path;
        }

        return DefaultKrb5Conf;
    }
}
