using Doris.Api;
using Doris.Api.Config;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Desired;

/// <summary>Finds a component's core config file (<c>fe.conf</c>, <c>be.conf</c>, ...) in the ConfigMaps the caller supplied.</summary>
public static class ConfigResolver
{
    public static string ConfigKey(DorisComponent component) => component switch
    {
        DorisComponent.Fe => "fe.conf",
        DorisComponent.Broker => "apache_hdfs_broker.conf",
        _ => "be.conf",
    };

    /// <summary>The ConfigMap mounted at /etc/doris: <c>configMapName</c>, else the first <c>configMaps</c> entry without another path.</summary>
    public static string? CoreConfigMapName(ComponentSpec spec) =>
        spec.ConfigMapInfo?.ConfigMapName is { Length: > 0 } name
            ? name
            : spec.ConfigMapInfo?.ConfigMaps?.FirstOrDefault(c => (c.MountPath ?? string.Empty) is "" or DorisDefaults.ConfigMountPath)?.ConfigMapName;

    public static ComponentConfig Resolve(DorisComponent component, ComponentSpec spec, IReadOnlyDictionary<string, ConfigMap> configMaps, List<string> warnings)
    {
        if (CoreConfigMapName(spec) is not { } name)
        {
            return ComponentConfig.None;
        }

        var key = ConfigKey(component);
        if (!configMaps.TryGetValue(name, out var configMap))
        {
            warnings.Add($"spec.{component.SpecField()}.configMapInfo: ConfigMap '{name}' was not supplied, so default ports are assumed; pass it with another -f to render its ports");
            return ComponentConfig.FromFile(null);
        }

        if (configMap.Data?.TryGetValue(key, out var text) != true)
        {
            warnings.Add($"spec.{component.SpecField()}.configMapInfo: ConfigMap '{name}' has no '{key}' key, so Doris starts with built-in defaults; add the file under key '{key}'");
            return ComponentConfig.FromFile(null);
        }

        var config = ComponentConfig.FromFile(text);
        if (component == DorisComponent.Cn && config.Get("be_node_role") != "computation")
        {
            warnings.Add($"spec.cnSpec.configMapInfo: '{name}/{key}' does not set be_node_role = computation, so these pods start as ordinary BEs that store data; add the line");
        }

        return config;
    }
}
