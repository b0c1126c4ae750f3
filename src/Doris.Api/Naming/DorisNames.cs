namespace Doris.Api.Naming;

/// <summary>Every object name derived from a cluster, in one place and identical to upstream's, so takeover finds existing objects.</summary>
public static class DorisNames
{
    public static string StatefulSet(string cluster, DorisComponent component) => $"{cluster}-{component.Key()}";

    public static string ExternalService(string cluster, DorisComponent component) => $"{cluster}-{component.Key()}-service";

    public static string InternalService(string cluster, DorisComponent component) => $"{cluster}-{component.Key()}-internal";

    public static string Autoscaler(string cluster) => $"{cluster}-cn-autoscaler";

    public static string DisruptionBudget(string cluster, DorisComponent component) => $"{cluster}-{component.Key()}-pdb";

    public static string Pod(string cluster, DorisComponent component, int ordinal) => $"{StatefulSet(cluster, component)}-{ordinal}";

    public static string PersistentVolumeClaim(string volume, string cluster, DorisComponent component, int ordinal) => $"{volume}-{Pod(cluster, component, ordinal)}";

    /// <summary>A StatefulSet pod's ordinal (the number after the last '-'), or -1 when the name has none.</summary>
    public static int Ordinal(string podName) =>
        int.TryParse(podName.AsSpan(podName.LastIndexOf('-') + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1;

    public static string PodFqdn(string cluster, DorisComponent component, int ordinal, string ns) =>
        $"{Pod(cluster, component, ordinal)}.{InternalService(cluster, component)}.{ns}.svc.cluster.local";

    /// <summary>
    /// The longest name we derive is <c>&lt;cluster&gt;-broker-internal</c>, a Service name limited to 63 characters;
    /// StatefulSet pods also carry a <c>controller-revision-hash</c> label of name plus 11 characters, limited to 63.
    /// </summary>
    public const int MaxClusterNameLength = 63 - 16;
}
