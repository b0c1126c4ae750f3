using System.Globalization;
using System.Text.RegularExpressions;

namespace Doris.Simulation.Processes;

/// <summary>The statements the simulated FE understands, answered with Doris's columns.</summary>
public sealed partial class DorisModel
{
    /// <summary>A statement's outcome: rows, an OK, or an error code with message.</summary>
    public sealed record SqlReply(IReadOnlyList<string>? Columns, IReadOnlyList<IReadOnlyList<string?>>? Rows, int ErrorCode = 0, string? Error = null)
    {
        public static SqlReply Ok { get; } = new(null, null);

        public static SqlReply Fail(int code, string message) => new(null, null, code, message);
    }

    private static readonly string[] BackendColumns =
    [
        "BackendId", "Host", "HeartbeatPort", "BePort", "HttpPort", "BrpcPort", "ArrowFlightSqlPort", "LastStartTime", "LastHeartbeat", "Alive",
        "SystemDecommissioned", "TabletNum", "DataUsedCapacity", "TrashUsedCapacity", "AvailCapacity", "TotalCapacity", "UsedPct", "MaxDiskUsedPct",
        "RemoteUsedCapacity", "Tag", "ErrMsg", "Version", "Status", "HeartbeatFailureCounter", "NodeRole",
    ];

    // fe-core BackendsProcDir TITLE_NAMES as 3.0 has it: hardware and running tasks ahead of NodeRole.
    private static readonly string[] BackendColumns30 = [.. BackendColumns[..^1], "CpuCores", "Memory", "RunningTasks", "NodeRole"];

    private static readonly string[] FrontendColumns =
    [
        "Name", "Host", "EditLogPort", "HttpPort", "QueryPort", "RpcPort", "ArrowFlightSqlPort", "Role", "IsMaster", "ClusterId", "Join", "Alive",
        "ReplayedJournalId", "LastStartTime", "LastHeartbeat", "IsHelper", "ErrMsg", "Version", "CurrentConnected",
    ];

    /// <summary>Receives a line for each statement that changes something (what the FE's log would tell an operator).</summary>
    public Action<string>? Printed { get; set; }

    public SqlReply Execute(string sql)
    {
        var reply = Run(sql);
        var text = sql.Trim().TrimEnd(';').Trim();
        if (Printed is { } print && !ReadOnlyStatement().IsMatch(text))
        {
            // Credentials never reach a log (also not through an error that quotes the statement): quoted values
            // after IDENTIFIED BY or PASSWORD are masked.
            var line = reply.Error is null ? $"executed: {text}" : $"refused: {text}: ERROR {reply.ErrorCode}: {reply.Error}";
            print(Secrets().Replace(line, m => m.Groups["lead"].Value + "'***'"));
        }

        return reply;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(SHOW|SELECT|ADMIN\s+SHOW|SET\s+(?!PASSWORD)|USE|DESC|EXPLAIN)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex ReadOnlyStatement();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<lead>(IDENTIFIED\s+BY|PASSWORD)\s*\(?\s*)'(?:[^'\\]|\\.)*'", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex Secrets();

    private SqlReply Run(string sql)
    {
        var text = sql.Trim().TrimEnd(';').Trim();
        lock (_gate)
        {
            _statements.Add(text);
            if (Match(text, @"^SHOW\s+BACKENDS$") is not null)
            {
                var v30 = Version == DorisVersion.V3_0;
                return new SqlReply(Columns(v30 ? BackendColumns30 : BackendColumns), [.. _backends.Select(b => (IReadOnlyList<string?>)[
                    b.Id.ToString(CultureInfo.InvariantCulture), b.Host, b.HeartbeatPort.ToString(CultureInfo.InvariantCulture), "9060", "8040", "8060", "-1",
                    "2026-01-01 00:00:00", "2026-01-01 00:00:00", B(b.Alive), B(b.Decommissioned), ReportedTablets(b).ToString(CultureInfo.InvariantCulture),
                    "1.000 GB", "0.000", "100.000 GB", "200.000 GB", "50.00 %", "50.00 %", "0.000", TagOf(b), string.Empty, Version.BuildName(),
                    $"{{\"lastSuccessReportTabletsTime\":\"2026-01-01 00:00:00\",\"lastStreamLoadTime\":-1,\"isQueryDisabled\":{B(b.QueryDisabled)},\"isLoadDisabled\":false}}", "0", .. (string?[])(v30 ? ["16", "64.00 GB", "0"] : []), b.Alive ? b.Role : string.Empty])]);
            }

            if (Match(text, @"^SHOW\s+FRONTENDS$") is not null)
            {
                return new SqlReply(Columns(FrontendColumns), [.. _frontends.Select(f => (IReadOnlyList<string?>)[
                    $"fe_{f.Host}", f.Host, f.EditLogPort.ToString(CultureInfo.InvariantCulture), "8030", "9030", "9020", "-1", f.Role, B(f.IsMaster),
                    "1234", B(true), B(f.Alive), "100", "2026-01-01 00:00:00", "2026-01-01 00:00:00", "false", string.Empty, Version.BuildName(), "1"])]);
            }

            if (Match(text, @"^SHOW\s+PROC\s+'/cluster_health/tablet_health'$") is not null)
            {
                // Tablet.getHealth counts a tablet HEALTHY only with exactly its replicas, all alive, none on a
                // decommissioned BE (REPLICA_RELOCATING) and all in the allocation's location (REPLICA_MISSING_FOR_TAG).
                var good = _backends.Where(Schedulable).Select(b => b.Id).ToHashSet();
                var healthy = _tablets.Count(t => t.Count == ReplicationNum && t.All(good.Contains));
                return new SqlReply(["DbId", "DbName", "TabletNum", "HealthyNum", "ReplicaMissingNum", "VersionIncompleteNum"],
                [
                    ["10002", "sim_db", _tablets.Count.ToString(CultureInfo.InvariantCulture), healthy.ToString(CultureInfo.InvariantCulture), (_tablets.Count - healthy).ToString(CultureInfo.InvariantCulture), "0"],
                    ["Total", "1", _tablets.Count.ToString(CultureInfo.InvariantCulture), healthy.ToString(CultureInfo.InvariantCulture), (_tablets.Count - healthy).ToString(CultureInfo.InvariantCulture), "0"],
                ]);
            }

            if (ProcTables(text) is { } proc)
            {
                return proc;
            }

            if (Match(text, @"^ADMIN\s+SHOW\s+FRONTEND\s+CONFIG\s+LIKE\s+'(?<key>[a-z_]+)'$") is { } config)
            {
                // Doris has no default_replication_num config (its default of 3 is FeConstants.default_replication_num,
                // a constant; the config of that name is StarRocks'): LIKE matches nothing, so no row.
                var value = config.Groups["key"].Value switch
                {
                    "force_olap_table_replication_num" => "0",
                    _ => null,
                };
                return new SqlReply(["Key", "Value", "Type", "IsMutable", "MasterOnly", "Comment"],
                    value is null ? [] : [[config.Groups["key"].Value, value, "int", "true", "true", string.Empty]]);
            }

            if (Match(text, @"^ALTER\s+SYSTEM\s+DECOMMISSION\s+BACKEND\s+(?<list>.+)$") is { } decommission)
            {
                return Decommission(decommission);
            }

            if (Match(text, @"^ALTER\s+SYSTEM\s+MODIFY\s+BACKEND\s+(?<list>.+?)\s+SET\s*\(\s*""(?<key>[a-z_.]+)""\s*=\s*""(?<value>[^""]*)""\s*\)$") is { } modify)
            {
                var key = modify.Groups["key"].Value;
                var value = modify.Groups["value"].Value;
                if (key == "tag.location" && !Regex.IsMatch(value, "^[a-zA-Z][a-zA-Z0-9_]{0,31}$", RegexOptions.None, TimeSpan.FromSeconds(1)))
                {
                    return SqlReply.Fail(1105, $"errCode = 2, detailMessage = Invalid tag format: location:{value}");
                }

                return key switch
                {
                    "tag.location" => ForBackends(modify, b =>
                    {
                        b.Location = value;
                        return null;
                    }),
                    "disable_query" or "disable_load" => ForBackends(modify, b =>
                    {
                        b.QueryDisabled = key == "disable_query" ? value == "true" : b.QueryDisabled;
                        return null;
                    }),
                    _ => SqlReply.Fail(1105, $"errCode = 2, detailMessage = unknown backend property: {key}"),
                };
            }

            if (Match(text, @"^CANCEL\s+DECOMMISSION\s+BACKEND\s+(?<list>.+)$") is { } cancel)
            {
                return ForBackends(cancel, b =>
                {
                    b.Decommissioned = false;
                    return null;
                });
            }

            if (Match(text, @"^ALTER\s+SYSTEM\s+DROP\s+BACKEND\s+(?<list>.+)$") is not null)
            {
                // fe-core SystemHandler (2.1, 3.0): refused before the backend is even looked up.
                return SqlReply.Fail(1105, "errCode = 2, detailMessage = It is highly NOT RECOMMENDED to use DROP BACKEND stmt.It is not safe to directly drop a backend. All data on this backend will be discarded permanently. If you insist, use DROPP instead of DROP");
            }

            if (Match(text, @"^ALTER\s+SYSTEM\s+DROPP\s+BACKEND\s+(?<list>.+)$") is { } drop)
            {
                return ForBackends(drop, b =>
                {
                    _backends.Remove(b);
                    foreach (var t in _tablets)
                    {
                        t.Remove(b.Id);
                    }

                    return null;
                });
            }

            if (Match(text, @"^ALTER\s+SYSTEM\s+DROP\s+(?<role>FOLLOWER|OBSERVER)\s+""(?<host>[^"":]+):(?<port>\d+)""$") is { } dropFe)
            {
                var fe = _frontends.FirstOrDefault(f => f.Host == dropFe.Groups["host"].Value);
                if (fe is null)
                {
                    return SqlReply.Fail(1105, $"errCode = 2, detailMessage = frontend does not exist[{dropFe.Groups["host"].Value}:{dropFe.Groups["port"].Value}]");
                }

                if (fe.IsMaster)
                {
                    return SqlReply.Fail(1105, "errCode = 2, detailMessage = can not drop current master node.");
                }

                _frontends.Remove(fe);
                return SqlReply.Ok;
            }

            return SqlReply.Fail(1064, $"errCode = 2, detailMessage = Syntax error or unsupported statement in the simulated FE: {text}");
        }
    }

    // SystemHandler.checkDecommission (2.1, 3.0 local mode): every named backend must exist, and for each location
    // tag among them, the backends left there (schedulable, not being decommissioned) must hold every partition's
    // allocation for that tag. All or nothing.
    private SqlReply Decommission(Match match)
    {
        var named = new List<Backend>();
        foreach (var (host, port) in Addresses(match))
        {
            if (_backends.FirstOrDefault(b => b.Host == host && b.HeartbeatPort.ToString(CultureInfo.InvariantCulture) == port) is not { } backend)
            {
                return SqlReply.Fail(1105, $"errCode = 2, detailMessage = Backend does not exist[{host}:{port}]");
            }

            if (!backend.Decommissioned)
            {
                named.Add(backend);
            }
        }

        foreach (var tag in named.Select(b => b.Location).Distinct(StringComparer.Ordinal))
        {
            var available = _backends.Count(b => b.Alive && !b.Decommissioned && b.Role == "mix" && b.Location == tag && !named.Contains(b));
            foreach (var (_, table, allocation) in SimTables())
            {
                if (allocation.TryGetValue(tag, out var replicas) && replicas > available)
                {
                    var text = string.Join(", ", allocation.Select(a => $"tag.location.{a.Key}: {a.Value}"));
                    return SqlReply.Fail(1105, $"errCode = 2, detailMessage = After decommission, partition {table} of table sim_db.{table} 's replication allocation {{ {text} }} > available backend num {available} on tag {{\"location\" : \"{tag}\"}}, otherwise need to decrease the partition's replication num.");
                }
            }
        }

        foreach (var b in named)
        {
            b.Decommissioned = true;
            b.DecommissionedAt = _lastTick;
        }

        return SqlReply.Ok;
    }

    // Doris prints the tag map with " : " between key and value; storage-compute members carry their compute group.
    private static string TagOf(Backend b) => b.ComputeGroupName is null
        ? $"{{\"location\" : \"{b.Location}\"}}"
        : $"{{\"cloud_unique_id\" : \"1:{b.ComputeGroupId}:{b.Host}\", \"compute_group_status\" : \"NORMAL\", \"compute_group_name\" : \"{b.ComputeGroupName}\", \"location\" : \"{b.Location}\", \"compute_group_id\" : \"{b.ComputeGroupId}\"}}";

    private static List<(string Host, string Port)> Addresses(Match match) =>
        [.. Regex.Matches(match.Groups["list"].Value, @"""(?<host>[^"":]+):(?<port>\d+)""").Select(m => (m.Groups["host"].Value, m.Groups["port"].Value))];

    private SqlReply ForBackends(Match match, Func<Backend, string?> action)
    {
        var addresses = Addresses(match);
        if (addresses.Count == 0)
        {
            return SqlReply.Fail(1064, "errCode = 2, detailMessage = expected \"host:heartbeat_port\" backends");
        }

        foreach (var (host, port) in addresses)
        {
            if (_backends.FirstOrDefault(b => b.Host == host && b.HeartbeatPort.ToString(CultureInfo.InvariantCulture) == port) is not { } backend)
            {
                return SqlReply.Fail(1105, $"errCode = 2, detailMessage = backend does not exists[{host}:{port}]"); // sic: SystemInfoService
            }

            if (action(backend) is { } error)
            {
                return SqlReply.Fail(1105, error);
            }
        }

        return SqlReply.Ok;
    }

    private string[] Columns(string[] columns) =>
        [.. columns.Select(c => c != "Host" ? c : UnknownLayout ? "Hostname_v9" : LegacyColumns ? "IP" : c)];

    private int TabletsOn(long id) => _tablets.Count(t => t.Contains(id));

    // A compute-group member holds no data, but Doris counts the tablets its group assigns to it: a leaving member
    // hands them over while its queries drain, and shows 0 once done (what upstream's operator waits for).
    private int ReportedTablets(Backend b)
    {
        if (b.ComputeGroupName is null)
        {
            return TabletsOn(b.Id);
        }

        if (!b.Decommissioned)
        {
            return ComputeGroupTablets;
        }

        var left = (b.DecommissionedAt ?? _lastTick ?? DateTimeOffset.MinValue) + ComputeDrain - (_lastTick ?? DateTimeOffset.MinValue);
        return left <= TimeSpan.Zero ? 0 : (int)Math.Ceiling(ComputeGroupTablets * Math.Min(1, left / ComputeDrain));
    }

    private const int ComputeGroupTablets = 64;

    private static string B(bool value) => value ? "true" : "false";

    private static Match? Match(string text, string pattern)
    {
        var m = Regex.Match(text, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return m.Success ? m : null;
    }
}
