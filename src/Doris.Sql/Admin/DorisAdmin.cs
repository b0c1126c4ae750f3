using System.Globalization;

namespace Doris.Sql.Admin;

/// <summary>The Doris layer over the SQL client: statements as the FE understands them, output parsed by column name.</summary>
public sealed class DorisAdmin(MySqlPool pool) : IDorisAdmin
{
    public async Task<IReadOnlyList<FrontendInfo>> ShowFrontendsAsync(CancellationToken cancellationToken)
    {
        var rs = await pool.QueryAsync("SHOW FRONTENDS", cancellationToken).ConfigureAwait(false);
        var t = new Table(rs, "SHOW FRONTENDS");
        return [.. rs.Rows.Select(r => new FrontendInfo(
            t.Text(r, "Host", "IP"), t.Int(r, "EditLogPort"), t.Text(r, "Role"), t.Bool(r, "IsMaster"), t.Bool(r, "Alive"), t.OptionalBool(r, "Join") ?? true, t.Optional(r, "Version")))];
    }

    public async Task<IReadOnlyList<BackendInfo>> ShowBackendsAsync(CancellationToken cancellationToken)
    {
        var rs = await pool.QueryAsync("SHOW BACKENDS", cancellationToken).ConfigureAwait(false);
        var t = new Table(rs, "SHOW BACKENDS");
        return [.. rs.Rows.Select(r => new BackendInfo(
            t.Long(r, "BackendId"), t.Text(r, "Host", "IP"), t.Int(r, "HeartbeatPort"), t.Bool(r, "Alive"), t.Bool(r, "SystemDecommissioned"), t.Long(r, "TabletNum"),
            RoleOf(t, r)) { Location = LocationOf(t.Optional(r, "Tag")), ComputeGroupId = TagValue(t.Optional(r, "Tag"), "compute_group_id", "cloud_cluster_id"), ComputeGroupName = TagValue(t.Optional(r, "Tag"), "compute_group_name", "cloud_cluster_name") })];
    }

    public async Task<FrontendInfo> MasterAsync(CancellationToken cancellationToken) =>
        (await ShowFrontendsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(f => f.IsMaster)
        ?? throw new DorisLayoutException("SHOW FRONTENDS lists no master: the FE group is electing one or has lost its quorum; no membership change is made");

    public async Task<TabletHealth> TabletHealthAsync(CancellationToken cancellationToken)
    {
        var rs = await pool.QueryAsync("SHOW PROC '/cluster_health/tablet_health'", cancellationToken).ConfigureAwait(false);
        var t = new Table(rs, "SHOW PROC '/cluster_health/tablet_health'");
        long tablets = 0, healthy = 0;
        foreach (var row in rs.Rows.Where(r => !string.Equals(t.Optional(r, "DbId"), "Total", StringComparison.OrdinalIgnoreCase)))
        {
            tablets += t.Long(row, "TabletNum");
            healthy += t.Long(row, "HealthyNum");
        }

        return new TabletHealth(tablets, healthy);
    }

    public async Task<ReplicationFloor> ReplicationFloorAsync(CancellationToken cancellationToken)
    {
        var highest = 0;
        string? where = null;
        var byLocation = new Dictionary<string, (int Replicas, string Table)>(StringComparer.Ordinal);
        var dbs = await pool.QueryAsync("SHOW PROC '/dbs'", cancellationToken).ConfigureAwait(false);
        var dbTable = new Table(dbs, "SHOW PROC '/dbs'");
        foreach (var db in dbs.Rows)
        {
            var dbId = dbTable.Long(db, "DbId");
            var dbName = dbTable.Text(db, "DbName");
            var tables = await pool.QueryAsync(Proc($"/dbs/{dbId}"), cancellationToken).ConfigureAwait(false);
            var tableTable = new Table(tables, Proc($"/dbs/{dbId}"));
            foreach (var table in tables.Rows.Where(r => tableTable.Optional(r, "Type") is "OLAP" or "MATERIALIZED_VIEW"))
            {
                var name = $"{dbName}.{tableTable.Text(table, "TableName")}";
                var path = Proc($"/dbs/{dbId}/{tableTable.Long(table, "TableId")}/partitions");
                var partitions = await pool.QueryAsync(path, cancellationToken).ConfigureAwait(false);
                var partitionTable = new Table(partitions, path);
                foreach (var partition in partitions.Rows)
                {
                    var allocation = Allocation(partitionTable.Optional(partition, "ReplicaAllocation"));
                    var total = Math.Max(allocation.Values.Sum(), int.TryParse(partitionTable.Optional(partition, "ReplicationNum"), CultureInfo.InvariantCulture, out var n) ? n : 0);
                    if (allocation.Count == 0 && total > 0)
                    {
                        allocation["default"] = total; // before tags, every replica was in the default location
                    }

                    if (total > highest)
                    {
                        (highest, where) = (total, name);
                    }

                    foreach (var (location, replicas) in allocation)
                    {
                        if (!byLocation.TryGetValue(location, out var known) || replicas > known.Replicas)
                        {
                            byLocation[location] = (replicas, name);
                        }
                    }
                }
            }
        }

        return new ReplicationFloor(highest, where, byLocation);
    }

    /// <summary><c>tag.location.zone1: 2, tag.location.zone2: 1</c> (Doris's <c>ReplicaAllocation.toCreateStmt</c>).</summary>
    internal static Dictionary<string, int> Allocation(string? text)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text ?? string.Empty, @"tag\.location\.(?<tag>[A-Za-z0-9_]+)\s*:\s*(?<n>\d+)", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            result[m.Groups["tag"].Value] = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        }

        return result;
    }

    private static string Proc(string path) => $"SHOW PROC '{path}'";

    public Task DecommissionBackendsAsync(IEnumerable<string> addresses, CancellationToken cancellationToken) =>
        pool.ExecuteAsync($"ALTER SYSTEM DECOMMISSION BACKEND {Quoted(addresses)}", cancellationToken);

    public Task CancelDecommissionAsync(IEnumerable<string> addresses, CancellationToken cancellationToken) =>
        pool.ExecuteAsync($"CANCEL DECOMMISSION BACKEND {Quoted(addresses)}", cancellationToken);

    public async Task DropBackendAsync(string address, CancellationToken cancellationToken)
    {
        try
        {
            await pool.ExecuteAsync($"ALTER SYSTEM DROPP BACKEND {Quoted([address])}", cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlServerException e) when (e.ServerMessage.Contains("does not exist", StringComparison.OrdinalIgnoreCase))
        {
            // Doris drops a decommissioned backend by itself (drop_backend_after_decommission): already done.
        }
    }

    /// <summary>One member per statement: the connection has no multi-statement mode.</summary>
    public Task DropFrontendAsync(string address, bool observer, CancellationToken cancellationToken) =>
        pool.ExecuteAsync($"ALTER SYSTEM DROP {(observer ? "OBSERVER" : "FOLLOWER")} {Quoted([address])}", cancellationToken);

    public Task DisableQueryAsync(string address, CancellationToken cancellationToken) =>
        pool.ExecuteAsync($"ALTER SYSTEM MODIFY BACKEND {Quoted([address])} SET (\"disable_query\" = \"true\")", cancellationToken);

    public Task SetLocationAsync(string address, string location, CancellationToken cancellationToken)
    {
        if (!LocationTag.IsValid(location))
        {
            throw new ArgumentException($"'{location}' is not a Doris tag value (a letter, then letters, digits or underscores, at most 32)", nameof(location));
        }

        return pool.ExecuteAsync($"ALTER SYSTEM MODIFY BACKEND {Quoted([address])} SET (\"tag.location\" = \"{location}\")", cancellationToken);
    }

    // Before NodeRole existed every backend was a BE; an empty NodeRole means the backend is not alive and its role
    // is unknown (Doris fills it from the heartbeat), so it is not guessed.
    private static string RoleOf(Table t, IReadOnlyList<string?> row) => t.Optional(row, "NodeRole") is { } role ? role.Trim() : "mix";

    /// <summary>The location in SHOW BACKENDS' Tag column, a JSON-like map: <c>{"location" : "default"}</c>.</summary>
    internal static string? LocationOf(string? tag) => TagValue(tag, "location");

    /// <summary>
    /// A value of the Tag column's JSON object (<c>{"location" : "default", "compute_group_name" : "cg1", ...}</c>),
    /// trying each key in turn: Doris 3.0's storage-compute mode names compute groups <c>compute_group_*</c>, earlier
    /// cloud builds <c>cloud_cluster_*</c>.
    /// </summary>
    internal static string? TagValue(string? tag, params string[] keys)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return null;
        }

        foreach (var key in keys)
        {
            var match = System.Text.RegularExpressions.Regex.Match(tag, "\"" + System.Text.RegularExpressions.Regex.Escape(key) + "\"\\s*:\\s*\"([^\"]*)\"", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
        }

        return null;
    }

    private static string Quoted(IEnumerable<string> addresses)
    {
        var list = addresses.ToList();
        if (list.Count == 0 || list.Any(a => a.Contains('"', StringComparison.Ordinal) || a.Contains('\\', StringComparison.Ordinal)))
        {
            throw new ArgumentException("addresses must be host:port values without quotes", nameof(addresses));
        }

        return string.Join(", ", list.Select(a => $"\"{a}\""));
    }

    /// <summary>Column lookup by name, tolerant of added columns and of renamed ones (Host was IP before Doris 2.0).</summary>
    private sealed class Table(ResultSet rs, string statement)
    {
        public string Text(IReadOnlyList<string?> row, params string[] names)
        {
            foreach (var name in names)
            {
                var i = rs.IndexOf(name);
                if (i >= 0)
                {
                    return row[i] ?? string.Empty;
                }
            }

            throw new DorisLayoutException($"{statement} returned no column {string.Join(" or ", names)} (columns: {string.Join(", ", rs.Columns)}); this Doris version's output is not understood, so no membership change is made");
        }

        public string? Optional(IReadOnlyList<string?> row, string name) => rs.IndexOf(name) is >= 0 and var i ? row[i] : null;

        public int Int(IReadOnlyList<string?> row, string name) =>
            int.TryParse(Text(row, name), CultureInfo.InvariantCulture, out var n) ? n : throw Bad(name, row);

        public long Long(IReadOnlyList<string?> row, string name) =>
            long.TryParse(Text(row, name), CultureInfo.InvariantCulture, out var n) ? n : throw Bad(name, row);

        public bool Bool(IReadOnlyList<string?> row, string name) => ParseBool(Text(row, name)) ?? throw Bad(name, row);

        public bool? OptionalBool(IReadOnlyList<string?> row, string name) => Optional(row, name) is { } v ? ParseBool(v) : null;

        private static bool? ParseBool(string v) => v.ToUpperInvariant() switch
        {
            "TRUE" or "1" or "YES" => true,
            "FALSE" or "0" or "NO" => false,
            _ => null,
        };

        private DorisLayoutException Bad(string name, IReadOnlyList<string?> row) =>
            new($"{statement}: column {name} has an unexpected value '{row[rs.IndexOf(name)]}'; no membership change is made");
    }
}

/// <summary>Doris answered with a layout we do not understand; acting on it could be destructive, so nothing is done.</summary>
public sealed class DorisLayoutException(string message) : MySqlException(message);
