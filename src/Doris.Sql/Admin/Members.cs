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

    /// <summary>The <c>tag.location</c> from the Tag column (<c>{"location" : "default"}</c>), or null when not shown.</summary>
    public string? Location { get; init; }
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

    /// <summary>The highest replication factor new and forced tables get (<c>default_replication_num</c>, <c>force_olap_table_replication_num</c>).</summary>
    Task<int> MaxReplicationAsync(CancellationToken cancellationToken);

    Task DecommissionBackendsAsync(IEnumerable<string> addresses, CancellationToken cancellationToken);

    Task CancelDecommissionAsync(IEnumerable<string> addresses, CancellationToken cancellationToken);

    Task DropBackendAsync(string address, CancellationToken cancellationToken);

    Task DropFrontendAsync(string address, bool observer, CancellationToken cancellationToken);

    /// <summary><c>disable_query</c>: the FE plans no new query fragments on the backend (running ones finish).</summary>
    Task DisableQueryAsync(string address, CancellationToken cancellationToken);

    /// <summary><c>tag.location</c>: the resource group tables' replica allocations refer to.</summary>
    Task SetLocationAsync(string address, string location, CancellationToken cancellationToken);
}
