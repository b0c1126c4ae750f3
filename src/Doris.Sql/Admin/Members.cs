namespace Doris.Sql.Admin;

/// <summary>One row of <c>SHOW FRONTENDS</c>, read by column name.</summary>
public sealed record FrontendInfo(string Host, int EditLogPort, string Role, bool IsMaster, bool Alive, bool Join, string? Version)
{
    public bool IsObserver => string.Equals(Role, "OBSERVER", StringComparison.OrdinalIgnoreCase);

    public string Address => $"{Host}:{EditLogPort}";
}

/// <summary>One row of <c>SHOW BACKENDS</c> (BEs and, with <c>NodeRole=computation</c>, CNs), read by column name.</summary>
public sealed record BackendInfo(long Id, string Host, int HeartbeatPort, bool Alive, bool Decommissioned, long TabletNum, string NodeRole)
{
    public string Address => $"{Host}:{HeartbeatPort}";

    public bool IsComputeNode => string.Equals(NodeRole, "computation", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// May hold tablets: a BE (<c>mix</c>), or a member whose role is not known. Doris fills <c>NodeRole</c> from
    /// the heartbeat, so a backend that is not alive shows it empty (fe-core <c>BackendsProcDir</c>); such a member
    /// holds data only if the FE still counts tablets on it (a CN never has any).
    /// </summary>
    public bool HoldsData => !IsComputeNode && (NodeRole.Length > 0 || TabletNum > 0);

    /// <summary>The <c>tag.location</c> from the Tag column (<c>{"location" : "default"}</c>), or null when not shown.</summary>
    public string? Location { get; init; }

    /// <summary>In storage-compute mode: the compute group's id from the Tag column (<c>compute_group_id</c>), else null.</summary>
    public string? ComputeGroupId { get; init; }

    /// <summary>In storage-compute mode: the compute group's name from the Tag column (<c>compute_group_name</c>), else null.</summary>
    public string? ComputeGroupName { get; init; }
}

/// <summary>
/// How many replicas the data needs, read from where Doris keeps it: every partition's replica allocation
/// (<c>SHOW PROC '/dbs/{db}/{table}/partitions'</c>, columns <c>ReplicationNum</c> and <c>ReplicaAllocation</c>, in
/// Doris 2.1 and 3.0). Doris has no FE config for it (<c>default_replication_num</c> is StarRocks'; Doris's default
/// of 3 is a constant), so the tables are the only truth.
/// </summary>
/// <param name="Replicas">The most replicas any partition keeps (all locations together); 0 with no tables.</param>
/// <param name="Table">The table (<c>db.table</c>) that keeps them, for messages.</param>
/// <param name="ByLocation">Per <c>tag.location</c>: the most replicas any partition keeps there, and the table.</param>
public sealed record ReplicationFloor(int Replicas, string? Table, IReadOnlyDictionary<string, (int Replicas, string Table)> ByLocation)
{
    public static ReplicationFloor None { get; } = new(0, null, new Dictionary<string, (int, string)>());
}

/// <summary>Tablet health summed over databases: <c>TabletNum</c> and <c>HealthyNum</c>.</summary>
public sealed record TabletHealth(long Tablets, long Healthy)
{
    public long Unhealthy => Tablets - Healthy;
}

/// <summary>The Doris statements the operator needs, as a narrow interface so the reconciler can be tested against a simulated FE.</summary>
public interface IDorisAdmin
{
    Task<IReadOnlyList<FrontendInfo>> ShowFrontendsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<BackendInfo>> ShowBackendsAsync(CancellationToken cancellationToken);

    /// <summary>The FE that is master now (any FE answers; statements that change membership are forwarded to it).</summary>
    Task<FrontendInfo> MasterAsync(CancellationToken cancellationToken);

    Task<TabletHealth> TabletHealthAsync(CancellationToken cancellationToken);

    /// <summary>The most replicas any partition keeps, overall and per location, with the table that keeps them.</summary>
    Task<ReplicationFloor> ReplicationFloorAsync(CancellationToken cancellationToken);

    Task DecommissionBackendsAsync(IEnumerable<string> addresses, CancellationToken cancellationToken);

    Task CancelDecommissionAsync(IEnumerable<string> addresses, CancellationToken cancellationToken);

    /// <summary>
    /// <c>ALTER SYSTEM DROPP BACKEND</c> (Doris refuses <c>DROP</c> with "use DROPP instead of DROP"): only for a
    /// backend whose decommission finished, or a CN. A backend that is already gone (Doris drops decommissioned ones
    /// itself) counts as dropped.
    /// </summary>
    Task DropBackendAsync(string address, CancellationToken cancellationToken);

    Task DropFrontendAsync(string address, bool observer, CancellationToken cancellationToken);

    /// <summary><c>disable_query</c>: the FE plans no new query fragments on the backend (running ones finish).</summary>
    Task DisableQueryAsync(string address, CancellationToken cancellationToken);

    /// <summary><c>tag.location</c>: the resource group tables' replica allocations refer to.</summary>
    Task SetLocationAsync(string address, string location, CancellationToken cancellationToken);
}
