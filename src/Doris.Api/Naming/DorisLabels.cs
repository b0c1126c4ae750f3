namespace Doris.Api.Naming;

/// <summary>Label and annotation keys shared with apache/doris-operator, and the label sets built from them.</summary>
public static class DorisLabels
{
    public const string OwnerReference = "app.doris.ownerreference/name";
    public const string Component = "app.kubernetes.io/component";
    public const string Cluster = "app.doris.cluster";
    public const string ServiceRole = "app.doris.service/role";
    public const string ComponentsHash = "app.doris.components/hash";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagerName = "dorisctl";

    public const string FeRestartedAt = "apache.doris.fe/restartedAt";
    public const string BeRestartedAt = "apache.doris.be/restartedAt";
    /// <summary>Extension keys for CN and broker restarts (upstream has FE and BE only).</summary>
    public const string CnRestartedAt = "apache.doris.cn/restartedAt";
    public const string BrokerRestartedAt = "apache.doris.broker/restartedAt";

    /// <summary>Pod-template annotation: hash of the parsed core config, so a config change rolls the pods (with enableRestartWhenConfigChange).</summary>
    public const string ConfigHash = "dorisctl.io/config-hash";

    /// <summary>StatefulSet annotation: digest of the pod template, so the rollout gate knows which sets still have pods to replace.</summary>
    public const string TemplateHash = "dorisctl.io/template-hash";

    /// <summary>DorisCluster annotation: "true" stops the operator from changing anything until removed.</summary>
    public const string Paused = "dorisctl.io/paused";

    public static string RestartedAt(DorisComponent component) => component switch
    {
        DorisComponent.Fe => FeRestartedAt,
        DorisComponent.Be => BeRestartedAt,
        DorisComponent.Cn => CnRestartedAt,
        _ => BrokerRestartedAt,
    };

    public const string DebugRunMode = "selectdb.com.doris/runmode";
    public const string DebugRunModeApache = "apache.org.doris/runmode";

    /// <summary>Labels on the StatefulSet and Services themselves.</summary>
    public static IReadOnlyDictionary<string, string> Owner(string cluster, DorisComponent component) =>
        new SortedDictionary<string, string>(StringComparer.Ordinal) { [OwnerReference] = cluster, [Component] = component.Key() };

    /// <summary>The owner labels with one more key set (a Service's role, the autoscaler's component).</summary>
    public static IReadOnlyDictionary<string, string> Owner(string cluster, DorisComponent component, string key, string value) =>
        new SortedDictionary<string, string>(StringComparer.Ordinal) { [OwnerReference] = cluster, [Component] = component.Key(), [key] = value };

    /// <summary>The StatefulSet selector (immutable once created, so it must match upstream exactly).</summary>
    public static IReadOnlyDictionary<string, string> Selector(string cluster, DorisComponent component) =>
        new SortedDictionary<string, string>(StringComparer.Ordinal) { [OwnerReference] = $"{cluster}-{component.Key()}", [Component] = component.Key() };
}
