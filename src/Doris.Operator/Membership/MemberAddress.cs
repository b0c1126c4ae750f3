using Doris.Sql.Admin;

namespace Doris.Operator.Membership;

/// <summary>
/// The address a member is registered under in the FE. The official entrypoints register a pod by its FQDN
/// (<c>pod.internal-service.ns.svc.cluster.local</c>) unless <c>HOST_TYPE=IP</c> is set, then by its pod IP. A
/// member looked for only by FQDN would never be found in IP mode: a scale-in would shrink the StatefulSet
/// without a decommission and a drained CN would stay registered, so both identities are tried.
/// </summary>
public static class MemberAddress
{
    public static string Of(string fqdn, string? podIp, int port, IEnumerable<BackendInfo> registered) =>
        Of(fqdn, podIp, port, (registered ?? throw new ArgumentNullException(nameof(registered))).Select(b => b.Address));

    /// <param name="registered">Addresses (<c>host:port</c>) as the FE lists them.</param>
    public static string Of(string fqdn, string? podIp, int port, IEnumerable<string> registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var byName = $"{fqdn}:{port}";
        if (string.IsNullOrEmpty(podIp))
        {
            return byName;
        }

        var byIp = $"{podIp}:{port}";
        var members = registered.ToList();
        return !members.Contains(byName, StringComparer.OrdinalIgnoreCase) && members.Contains(byIp, StringComparer.OrdinalIgnoreCase) ? byIp : byName;
    }
}
