using Doris.Simulation.Processes;
using Doris.Sql;
using Doris.Sql.Admin;

namespace Doris.Sandbox.Tests;

public sealed class DorisVersionTests
{
    [Theory]
    [InlineData("apache/doris:fe-2.1.8", DorisVersion.V2_1)]
    [InlineData("apache/doris:fe-3.0.3", DorisVersion.V3_0)]
    [InlineData("registry.local:5000/doris/fe:3.0.5-rc01", DorisVersion.V3_0)]
    [InlineData("selectdb/doris.fe-ubuntu:2.1.10", DorisVersion.V2_1)]
    [InlineData("registry.local:5000/doris", DorisVersion.V2_1)]
    [InlineData(null, DorisVersion.V2_1)]
    public void FromImage_TagNamesTheRelease_OtherwiseTwoOne(string? image, DorisVersion expected) =>
        DorisVersions.FromImage(image).ShouldBe(expected);
}

/// <summary>Every check below runs against a simulated FE answering as Doris 2.1 and as Doris 3.0.</summary>
public sealed class DorisAdmin21Tests() : DorisAdminTests(DorisVersion.V2_1);

public sealed class DorisAdmin30Tests() : DorisAdminTests(DorisVersion.V3_0);

/// <summary>The Doris layer over real sockets against the simulated FE.</summary>
public abstract class DorisAdminTests(DorisVersion version) : IAsyncLifetime
{
    private readonly DorisModel _model = new() { User = "ops", Password = "pw", Version = version };
    private FrontendServer _server = null!;
    private MySqlPool _pool = null!;

    public Task InitializeAsync()
    {
        _server = new FrontendServer(_model);
        _pool = new MySqlPool(new MySqlOptions("127.0.0.1", _server.Port, "ops", "pw"));
        _model.RegisterFrontend("fe-0.x", 9010, "FOLLOWER", master: true);
        foreach (var i in Enumerable.Range(0, 3))
        {
            _model.RegisterBackend($"be-{i}.x", 9050, "mix");
        }

        _model.RegisterBackend("cn-0.x", 9050, "computation");
        _model.SeedTablets(9);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _pool.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ShowBackendsAndFrontends_ParsedByColumnName()
    {
        var admin = new DorisAdmin(_pool);

        var backends = await admin.ShowBackendsAsync(default);
        var frontends = await admin.ShowFrontendsAsync(default);

        backends.Select(b => b.Address).ShouldBe(["be-0.x:9050", "be-1.x:9050", "be-2.x:9050", "cn-0.x:9050"]);
        backends.Where(b => !b.IsComputeNode).Sum(b => b.TabletNum).ShouldBe(27);
        backends.Single(b => b.IsComputeNode).TabletNum.ShouldBe(0);
        frontends.Single().ShouldBe(new FrontendInfo("fe-0.x", 9010, "FOLLOWER", true, true, true, version == DorisVersion.V3_0 ? "doris-3.0.3-rc01" : "doris-2.1.8"));
        (await admin.ReplicationFloorAsync(default)).ShouldBe(new ReplicationFloor(3, "sim_db.sim_table", new Dictionary<string, (int, string)> { ["default"] = (3, "sim_db.sim_table") }), new ReplicationFloorComparer());
        (await admin.MasterAsync(default)).Host.ShouldBe("fe-0.x");
        (await admin.TabletHealthAsync(default)).ShouldBe(new TabletHealth(9, 9));
    }

    // BackendsProcDir TITLE_NAMES: 3.0 puts CpuCores, Memory and RunningTasks ahead of NodeRole; 2.1 (2.1.5, as in
    // upstream's operator tests) ends HeartbeatFailureCounter, NodeRole. Read by name, both give the same members.
    [Fact]
    public async Task ShowBackends_ColumnsOfTheVersion_ReadByName()
    {
        await using var connection = await MySqlConnection.OpenAsync(new MySqlOptions("127.0.0.1", _server.Port, "ops", "pw"), default);

        var rs = await connection.QueryAsync("SHOW BACKENDS", default);
        var backends = await new DorisAdmin(_pool).ShowBackendsAsync(default);

        rs.Columns.TakeLast(4).ShouldBe(version == DorisVersion.V3_0
            ? ["CpuCores", "Memory", "RunningTasks", "NodeRole"]
            : ["Version", "Status", "HeartbeatFailureCounter", "NodeRole"]);
        backends.Select(b => b.NodeRole).ShouldBe(["mix", "mix", "mix", "computation"]);
    }

    // The BE entrypoint runs on every container start and leaves the backend serving queries again.
    [Fact]
    public async Task DisableQuery_ClearedWhenTheContainerStartsAgain()
    {
        await new DorisAdmin(_pool).DisableQueryAsync("cn-0.x:9050", default);
        _model.Backends().Single(b => b.Host == "cn-0.x").QueryDisabled.ShouldBeTrue();

        _model.RegisterBackend("cn-0.x", 9050, "computation");

        _model.Backends().Single(b => b.Host == "cn-0.x").QueryDisabled.ShouldBeFalse();
    }

    [Fact]
    public async Task ShowBackends_Doris1ColumnNames_AreUnderstood()
    {
        _model.LegacyColumns = true;

        (await new DorisAdmin(_pool).ShowBackendsAsync(default)).First().Host.ShouldBe("be-0.x");
    }

    [Fact]
    public async Task ShowBackends_UnknownLayout_IsRefusedWithTheColumnsItSaw()
    {
        _model.UnknownLayout = true;

        var e = await Should.ThrowAsync<DorisLayoutException>(() => new DorisAdmin(_pool).ShowBackendsAsync(default));

        e.Message.ShouldContain("no column Host or IP");
        e.Message.ShouldContain("Hostname_v9");
        e.Message.ShouldContain("no membership change is made");
    }

    [Fact]
    public async Task Decommission_ThenCancel_ThenDrop_ChangeTheFeView()
    {
        var admin = new DorisAdmin(_pool);
        _model.RegisterBackend("be-3.x", 9050, "mix");

        await admin.DecommissionBackendsAsync(["be-3.x:9050"], default);
        (await admin.ShowBackendsAsync(default)).Single(b => b.Host == "be-3.x").Decommissioned.ShouldBeTrue();
        await admin.CancelDecommissionAsync(["be-3.x:9050"], default);
        (await admin.ShowBackendsAsync(default)).Single(b => b.Host == "be-3.x").Decommissioned.ShouldBeFalse();
        await admin.DropBackendAsync("be-3.x:9050", default);
        (await admin.ShowBackendsAsync(default)).ShouldNotContain(b => b.Host == "be-3.x");
    }

    // SystemHandler.checkDecommission: "Backend does not exist[host:port]" (drop says "exists": both are Doris's).
    [Fact]
    public async Task Statement_Failing_CarriesTheFeErrorCode()
    {
        var e = await Should.ThrowAsync<MySqlServerException>(() => new DorisAdmin(_pool).DecommissionBackendsAsync(["nope.x:9050"], default));

        e.Code.ShouldBe(1105);
        e.ServerMessage.ShouldBe("errCode = 2, detailMessage = Backend does not exist[nope.x:9050]");
    }

    // SystemHandler.checkDecommissionWithReplicaAllocation: per location tag, on allocation alone, all or nothing.
    [Fact]
    public async Task Decommission_BelowAPartitionsAllocationInItsTag_IsRefusedWithDorisMessage()
    {
        var admin = new DorisAdmin(_pool);

        var e = await Should.ThrowAsync<MySqlServerException>(() => admin.DecommissionBackendsAsync(["be-2.x:9050"], default));

        e.ServerMessage.ShouldBe("errCode = 2, detailMessage = After decommission, partition sim_table of table sim_db.sim_table 's replication allocation { tag.location.default: 3 } > available backend num 2 on tag {\"location\" : \"default\"}, otherwise need to decrease the partition's replication num.");
        (await admin.ShowBackendsAsync(default)).ShouldAllBe(b => !b.Decommissioned);
        _model.RegisterBackend("be-3.x", 9050, "mix");
        await admin.DecommissionBackendsAsync(["be-2.x:9050"], default);
    }

    // Tablet.getHealth: a replica on a decommissioning BE is REPLICA_RELOCATING, so the tablet is not HEALTHY.
    [Fact]
    public async Task TabletHealth_ReplicasOnADecommissioningBe_AreNotHealthy()
    {
        var admin = new DorisAdmin(_pool);
        _model.RegisterBackend("be-3.x", 9050, "mix");
        _model.DecommissionStalled = true;

        await admin.DecommissionBackendsAsync(["be-0.x:9050"], default);

        (await admin.TabletHealthAsync(default)).ShouldBe(new TabletHealth(9, 0), "every tablet has a replica on be-0");
    }

    // fe-core SystemHandler.process (2.1 and 3.0): a DropBackendClause without force is refused before lookup.
    [Fact]
    public async Task DropBackend_IsRefusedAsDorisRefusesIt_SoTheAdminSendsDropp()
    {
        await using var connection = await MySqlConnection.OpenAsync(new MySqlOptions("127.0.0.1", _server.Port, "ops", "pw"), default);

        var e = await Should.ThrowAsync<MySqlServerException>(() => connection.ExecuteAsync("ALTER SYSTEM DROP BACKEND \"be-0.x:9050\"", default));
        await new DorisAdmin(_pool).DropBackendAsync("cn-0.x:9050", default);

        e.Code.ShouldBe(1105);
        e.ServerMessage.ShouldBe("errCode = 2, detailMessage = It is highly NOT RECOMMENDED to use DROP BACKEND stmt.It is not safe to directly drop a backend. All data on this backend will be discarded permanently. If you insist, use DROPP instead of DROP");
        _model.Statements.ShouldContain("ALTER SYSTEM DROPP BACKEND \"cn-0.x:9050\"");
        (await new DorisAdmin(_pool).ShowBackendsAsync(default)).ShouldNotContain(b => b.Host == "cn-0.x");
    }

    // SystemInfoService.dropBackends: "backend does not exists[host:port]"; Doris drops decommissioned backends itself.
    [Fact]
    public async Task DropBackend_AlreadyGone_CountsAsDropped()
    {
        await new DorisAdmin(_pool).DropBackendAsync("gone.x:9050", default);

        _model.Statements.ShouldContain("ALTER SYSTEM DROPP BACKEND \"gone.x:9050\"");
    }

    // Config.drop_backend_after_decommission (default true): the decommission checker drops an emptied backend.
    [Fact]
    public async Task Decommission_OnceEmpty_TheFeDropsTheBackendByItself_UnlessSwitchedOff()
    {
        var admin = new DorisAdmin(_pool);
        _model.RegisterBackend("be-3.x", 9050, "mix");
        _model.RegisterBackend("be-4.x", 9050, "mix");
        _model.DropBackendAfterDecommission = false;
        await admin.DecommissionBackendsAsync(["be-3.x:9050"], default);
        _model.Tick(DateTimeOffset.UnixEpoch);
        _model.Tick(DateTimeOffset.UnixEpoch.AddSeconds(1));
        (await admin.ShowBackendsAsync(default)).ShouldContain(b => b.Host == "be-3.x", "kept while the switch is off");

        _model.DropBackendAfterDecommission = true;
        await admin.DecommissionBackendsAsync(["be-4.x:9050"], default);
        _model.Tick(DateTimeOffset.UnixEpoch.AddSeconds(2));

        (await admin.ShowBackendsAsync(default)).Select(b => b.Host).ShouldNotContain("be-3.x");
        (await admin.ShowBackendsAsync(default)).Select(b => b.Host).ShouldNotContain("be-4.x");
    }

    // Doris has no default_replication_num FE config (FeConstants.default_replication_num is a constant): no row.
    [Fact]
    public async Task FrontendConfig_DefaultReplicationNum_IsNoRow()
    {
        await using var connection = await MySqlConnection.OpenAsync(new MySqlOptions("127.0.0.1", _server.Port, "ops", "pw"), default);

        var rs = await connection.QueryAsync("ADMIN SHOW FRONTEND CONFIG LIKE 'default_replication_num'", default);

        rs.Rows.ShouldBeEmpty();
    }

    // PartitionsProcDir (2.1, 3.0): ReplicationNum and ReplicaAllocation "tag.location.zone1: 2, tag.location.zone2: 1".
    [Fact]
    public async Task ReplicationFloor_IsTheMostAnyPartitionKeeps_PerLocation_WithItsTable()
    {
        _model.AddTable("orders", new Dictionary<string, int> { ["default"] = 2, ["zone_b"] = 2 });
        _model.AddTable("events", new Dictionary<string, int> { ["zone_b"] = 3 });

        var floor = await new DorisAdmin(_pool).ReplicationFloorAsync(default);

        floor.Replicas.ShouldBe(4);
        floor.Table.ShouldBe("sim_db.orders");
        floor.ByLocation["default"].ShouldBe((3, "sim_db.sim_table"));
        floor.ByLocation["zone_b"].ShouldBe((3, "sim_db.events"));
    }

    // BackendsProcDir fills NodeRole from the heartbeat: a backend that is not alive shows it empty.
    [Fact]
    public async Task ShowBackends_DeadMember_HasNoRole_AndADeadCnIsNotTakenForABe()
    {
        _model.SetAlive(new HashSet<string>(["be-0.x", "be-1.x", "be-2.x", "fe-0.x"]));

        var dead = (await new DorisAdmin(_pool).ShowBackendsAsync(default)).Single(b => b.Host == "cn-0.x");

        dead.NodeRole.ShouldBeEmpty();
        dead.IsComputeNode.ShouldBeFalse();
        dead.HoldsData.ShouldBeFalse("no tablets on it: whatever it was, no data is at risk");
    }

    [Fact]
    public async Task WrongPassword_IsAnAuthenticationError()
    {
        await using var pool = new MySqlPool(new MySqlOptions("127.0.0.1", _server.Port, "ops", "wrong"));

        var e = await Should.ThrowAsync<MySqlServerException>(() => new DorisAdmin(pool).ShowBackendsAsync(default));

        e.IsAuthentication.ShouldBeTrue();
    }

    private sealed class ReplicationFloorComparer : IEqualityComparer<ReplicationFloor>
    {
        public bool Equals(ReplicationFloor? x, ReplicationFloor? y) =>
            x is not null && y is not null && x.Replicas == y.Replicas && x.Table == y.Table && x.ByLocation.OrderBy(k => k.Key).SequenceEqual(y.ByLocation.OrderBy(k => k.Key));

        public int GetHashCode(ReplicationFloor obj) => obj.Replicas;
    }
}
