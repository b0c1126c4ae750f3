using System.Globalization;

namespace Doris.Simulation.Processes;

/// <summary>
/// The simulated FE's tables, as far as the operator can see them: the <c>SHOW PROC</c> directories Doris 2.1 and
/// 3.0 serve (fe-core <c>DbsProcDir</c>, <c>TablesProcDir</c>, <c>PartitionsProcDir</c>) with each partition's
/// <c>ReplicationNum</c> and <c>ReplicaAllocation</c> (<c>tag.location.default: 3</c>). The tablets the model
/// migrates belong to the first table, <c>sim_db.sim_table</c>, whose replication is <see cref="ReplicationNum"/>; it
/// exists once <see cref="SeedTablets"/> has created it.
/// </summary>
public sealed partial class DorisModel
{
    private const long DbId = 10002;
    private readonly List<(string Name, IReadOnlyDictionary<string, int> Allocation)> _extraTables = [];

    /// <summary>Adds a table (metadata only) with its replica allocation by location, e.g. <c>{ ["default"] = 5 }</c>.</summary>
    public void AddTable(string name, IReadOnlyDictionary<string, int> allocation)
    {
        lock (_gate)
        {
            _extraTables.Add((name, allocation));
        }
    }

    // sim_db.sim_table exists once it holds data (SeedTablets creates it): a fresh cluster has no tables.
    private IEnumerable<(long Id, string Name, IReadOnlyDictionary<string, int> Allocation)> SimTables() =>
        (_tablets.Count > 0 ? new[] { (DbId + 3, "sim_table", (IReadOnlyDictionary<string, int>)new Dictionary<string, int> { [TabletLocation] = ReplicationNum }) } : [])
            .Concat(_extraTables.Select((t, i) => (DbId + 4 + i, t.Name, t.Allocation)));

    private SqlReply? ProcTables(string text)
    {
        if (Match(text, @"^SHOW\s+PROC\s+'/dbs/?'$") is not null)
        {
            return new SqlReply(
                ["DbId", "DbName", "TableNum", "Size", "Quota", "LastConsistencyCheckTime", "ReplicaCount", "ReplicaQuota", "RunningTransactionNum", "TransactionQuota", "LastUpdateTime"],
                [
                    ["0", "information_schema", "0", "0.000", "1024.000 TB", "NULL", "0", "1073741824", "0", "1000", "NULL"],
                    [DbId.ToString(CultureInfo.InvariantCulture), "sim_db", SimTables().Count().ToString(CultureInfo.InvariantCulture), "1.000 GB", "1024.000 TB", "NULL", "0", "1073741824", "0", "1000", "NULL"],
                ]);
        }

        if (Match(text, @"^SHOW\s+PROC\s+'/dbs/(?<db>\d+)/?'$") is { } db)
        {
            var rows = db.Groups["db"].Value == DbId.ToString(CultureInfo.InvariantCulture)
                ? SimTables().Select(t => (IReadOnlyList<string?>)[t.Id.ToString(CultureInfo.InvariantCulture), t.Name, "1", "NULL", "1", "NORMAL", "OLAP", "NULL", "0", "1", "2026-01-01 00:00:00"]).ToList()
                : db.Groups["db"].Value == "0" ? [] : null;
            return rows is null
                ? SqlReply.Fail(1105, $"errCode = 2, detailMessage = Database[{db.Groups["db"].Value}] does not exist.")
                : new SqlReply(["TableId", "TableName", "IndexNum", "PartitionColumnName", "PartitionNum", "State", "Type", "LastConsistencyCheckTime", "ReplicaCount", "VisibleVersion", "VisibleVersionTime"], rows);
        }

        if (Match(text, @"^SHOW\s+PROC\s+'/dbs/(?<db>\d+)/(?<table>\d+)/partitions'$") is { } partitions)
        {
            var table = SimTables().FirstOrDefault(t => t.Id.ToString(CultureInfo.InvariantCulture) == partitions.Groups["table"].Value);
            if (table.Name is null)
            {
                return SqlReply.Fail(1105, $"errCode = 2, detailMessage = Table[{partitions.Groups["table"].Value}] does not exist.");
            }

            var allocation = string.Join(", ", table.Allocation.Select(a => $"tag.location.{a.Key}: {a.Value}"));
            return new SqlReply(
                ["PartitionId", "PartitionName", "VisibleVersion", "VisibleVersionTime", "State", "PartitionKey", "Range", "DistributionKey", "Buckets", "ReplicationNum", "StorageMedium", "CooldownTime", "RemoteStoragePolicy", "LastConsistencyCheckTime", "DataSize", "IsInMemory", "ReplicaAllocation", "IsMutable", "SyncWithBaseTables", "UnsyncTables"],
                [[(table.Id + 1000).ToString(CultureInfo.InvariantCulture), table.Name, "2", "2026-01-01 00:00:00", "NORMAL", string.Empty, string.Empty, "id", "10", table.Allocation.Values.Sum().ToString(CultureInfo.InvariantCulture), "HDD", "9999-12-31 23:59:59", string.Empty, "NULL", "1.000 GB", "false", allocation, "true", "true", "NULL"]]);
        }

        return null;
    }
}
