using System.Globalization;
using Doris.Api.Disaggregated;
using Doris.Operator.Membership;
using Doris.Sql;
using Doris.Sql.Admin;

namespace Doris.Operator.Disaggregated;

/// <summary>Where a storage-compute cluster's FE answers SQL (host, query port).</summary>
public delegate (string Host, int Port) DisaggregatedFrontendEndpoint(DorisDisaggregatedCluster cluster, int queryPort);

/// <summary>
/// The FE side of compute-group changes, in the order that loses no running work: members leaving a group are
/// decommissioned (their queries drain and their tablets move to the rest of the group) and dropped once done,
/// before their pods go; a group removed from the spec is dropped from the FE before its StatefulSet is deleted.
/// Members are found by host (<c>&lt;statefulset&gt;-&lt;ordinal&gt;.</c>), as upstream finds them.
/// </summary>
public sealed class ComputeGroupMembers(FrontendAccess frontends, DisaggregatedFrontendEndpoint? endpoint = null)
{
    /// <summary>What a step did. <paramref name="Done"/>: the pods may go now.</summary>
    public sealed record Outcome(bool Done, string Phase, string? Problem, IReadOnlyList<(string Type, string Reason, string Message)> Events);

    /// <summary>In a cluster: the FE Service's DNS name (upstream's GetFEVIPAddresss).</summary>
    public static (string Host, int Port) ClusterDns(DorisDisaggregatedCluster cluster, int queryPort) =>
        ($"{Doris.Api.Naming.DisaggregatedNames.FrontendStatefulSet(cluster.Metadata!.Name!)}.{cluster.Metadata.Namespace ?? "default"}.svc.cluster.local", queryPort);

    /// <summary>
    /// Takes members <paramref name="keep"/> and above out of the group: decommission first (the default, and with
    /// <c>enableDecommission: true</c>), dropped once Doris reports them drained; <c>enableDecommission: false</c>
    /// drops them at once, as upstream does.
    /// </summary>
    public async Task<Outcome> ScaleInAsync(DorisDisaggregatedCluster cluster, string set, int keep, int queryPort, CancellationToken cancellationToken)
    {
        try
        {
            var admin = await AdminAsync(cluster, queryPort, cancellationToken).ConfigureAwait(false);
            var leaving = (await admin.ShowBackendsAsync(cancellationToken).ConfigureAwait(false)).Where(b => Ordinal(b.Host, set) >= keep).ToList();
            if (leaving.Count == 0)
            {
                return new Outcome(true, "Scaling", null, []);
            }

            var names = string.Join(", ", leaving.Select(b => b.Host.Split('.')[0]));
            if (cluster.Spec?.EnableDecommission == false)
            {
                foreach (var b in leaving)
                {
                    await admin.DropBackendAsync(b.Address, cancellationToken).ConfigureAwait(false);
                }

                return new Outcome(true, "Scaling", null, [("Normal", "ComputeGroupMembersDropped", $"{set}: dropped {names} from the FE without draining (enableDecommission: false)")]);
            }

            var start = leaving.Where(b => !b.Decommissioned).Select(b => b.Address).ToList();
            if (start.Count > 0)
            {
                await admin.DecommissionBackendsAsync(start, cancellationToken).ConfigureAwait(false);
                return new Outcome(false, "Decommissioning", null, [("Normal", "ComputeGroupDecommissioning", $"{set}: decommissioning {names}; their pods stay until their queries drain and their tablets move to the rest of the group")]);
            }

            var drained = leaving.Where(b => b.TabletNum == 0).ToList();
            foreach (var b in drained)
            {
                await admin.DropBackendAsync(b.Address, cancellationToken).ConfigureAwait(false);
            }

            return drained.Count == leaving.Count
                ? new Outcome(true, "Scaling", null, [("Normal", "ComputeGroupDecommissioned", $"{set}: {names} drained and dropped; their pods go now")])
                : new Outcome(false, "Decommissioning", null, []);
        }
        catch (MySqlException e)
        {
            return new Outcome(false, "ScaleDownFailed", $"compute group {set} cannot shrink to {keep.ToString(CultureInfo.InvariantCulture)}: {e.Message}; its pods are kept until the FE answers", []);
        }
    }

    /// <summary>
    /// FE pods <paramref name="keep"/> and above leave the FE group first (upstream drops observers through SQL too).
    /// Only observers can be at those ordinals (validation keeps replicas at or above electionNumber); a follower
    /// found there is refused, as dropping it would shrink the quorum.
    /// </summary>
    public async Task<Outcome> ShrinkFrontendsAsync(DorisDisaggregatedCluster cluster, string set, int keep, int queryPort, CancellationToken cancellationToken)
    {
        try
        {
            var admin = await AdminAsync(cluster, queryPort, cancellationToken).ConfigureAwait(false);
            var leaving = (await admin.ShowFrontendsAsync(cancellationToken).ConfigureAwait(false)).Where(f => Ordinal(f.Host, set) >= keep).ToList();
            if (leaving.FirstOrDefault(f => !f.IsObserver) is { } follower)
            {
                return new Outcome(false, "ScaleDownFailed", $"FE {follower.Host.Split('.')[0]} is a {follower.Role.ToLowerInvariant()}, not an observer: the FE keeps {keep.ToString(CultureInfo.InvariantCulture)} replicas' worth of pods until spec.feSpec.replicas is at least its electing followers", []);
            }

            foreach (var observer in leaving)
            {
                await admin.DropFrontendAsync(observer.Address, observer: true, cancellationToken).ConfigureAwait(false);
            }

            return new Outcome(true, "Scaling", null, leaving.Count == 0 ? [] :
                [("Normal", "FrontendObserversDropped", $"{set}: dropped observer(s) {string.Join(", ", leaving.Select(f => f.Host.Split('.')[0]))} from the FE group before their pods go")]);
        }
        catch (MySqlException e)
        {
            return new Outcome(false, "ScaleDownFailed", $"the FE cannot shrink to {keep.ToString(CultureInfo.InvariantCulture)}: {e.Message}; its pods are kept until the FE answers", []);
        }
    }

    /// <summary>Drops every member of a group removed from the spec; done when the FE lists none of them.</summary>
    public async Task<Outcome> DropGroupAsync(DorisDisaggregatedCluster cluster, string set, int queryPort, CancellationToken cancellationToken)
    {
        try
        {
            var admin = await AdminAsync(cluster, queryPort, cancellationToken).ConfigureAwait(false);
            var members = (await admin.ShowBackendsAsync(cancellationToken).ConfigureAwait(false)).Where(b => Ordinal(b.Host, set) >= 0).ToList();
            foreach (var b in members)
            {
                await admin.DropBackendAsync(b.Address, cancellationToken).ConfigureAwait(false);
            }

            return new Outcome(true, "Scaling", null, members.Count == 0 ? [] :
                [("Normal", "ComputeGroupDropped", $"compute group {set} removed from the spec: dropped {members.Count.ToString(CultureInfo.InvariantCulture)} member(s) from the FE before deleting its StatefulSet and Services")]);
        }
        catch (MySqlException e)
        {
            return new Outcome(false, "ScaleDownFailed", $"compute group {set} was removed from the spec but cannot be dropped from the FE: {e.Message}; its StatefulSet is kept until the FE answers", []);
        }
    }

    /// <summary>The group ids Doris gave each compute group, by StatefulSet (for status); empty when the FE does not answer.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GroupIdsAsync(DorisDisaggregatedCluster cluster, IEnumerable<string> sets, int queryPort, CancellationToken cancellationToken)
    {
        try
        {
            var admin = await AdminAsync(cluster, queryPort, cancellationToken).ConfigureAwait(false);
            var backends = await admin.ShowBackendsAsync(cancellationToken).ConfigureAwait(false);
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var set in sets)
            {
                if (backends.FirstOrDefault(b => Ordinal(b.Host, set) >= 0 && b.ComputeGroupId is not null)?.ComputeGroupId is { } id)
                {
                    ids[set] = id;
                }
            }

            return ids;
        }
        catch (MySqlException)
        {
            return new Dictionary<string, string>();
        }
    }

    internal Task<IDorisAdmin> AdminAsync(DorisDisaggregatedCluster cluster, int queryPort, CancellationToken cancellationToken) =>
        frontends.ForAsync(cluster.Metadata!.Namespace ?? "default", cluster.Metadata.Name!, cluster.Spec?.AuthSecret, cluster.Spec?.AdminUser, (endpoint ?? ClusterDns)(cluster, queryPort), cancellationToken);

    /// <summary>The pod ordinal of a member host of <paramref name="set"/> (<c>set-3.svc...</c> gives 3), or -1 for another set's member.</summary>
    internal static int Ordinal(string host, string set)
    {
        var pod = host.Split('.')[0];
        return pod.Length > set.Length + 1 && pod.StartsWith(set + "-", StringComparison.Ordinal) &&
               int.TryParse(pod.AsSpan(set.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
    }
}
