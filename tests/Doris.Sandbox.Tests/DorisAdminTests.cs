using Doris.Simulation.Processes;
using Doris.Sql;
using Doris.Sql.Admin;

namespace Doris.Sandbox.Tests;

/// <summary>The Doris layer over real sockets against the simulated FE.</summary>
public sealed class DorisAdminTests : IAsyncLifetime
{
    private readonly DorisModel _model = new() { User = "ops", Password = "pw" };
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
        frontends.Single().ShouldBe(new FrontendInfo("fe-0.x", 9010, "FOLLOWER", true, true, true, "doris-2.1.8"));
        (await admin.MaxReplicationAsync(default)).ShouldBe(3);
        (await admin.MasterAsync(default)).Host.ShouldBe("fe-0.x");
        (await admin.TabletHealthAsync(default)).ShouldBe(new TabletHealth(9, 9));
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

    [Fact]
    public async Task Statement_Failing_CarriesTheFeErrorCode()
    {
        var e = await Should.ThrowAsync<MySqlServerException>(() => new DorisAdmin(_pool).DropBackendAsync("nope.x:9050", default));

        e.Code.ShouldBe(1105);
        e.ServerMessage.ShouldContain("backend does not exist");
    }

    [Fact]
    public async Task WrongPassword_IsAnAuthenticationError()
    {
        await using var pool = new MySqlPool(new MySqlOptions("127.0.0.1", _server.Port, "ops", "wrong"));

        var e = await Should.ThrowAsync<MySqlServerException>(() => new DorisAdmin(pool).ShowBackendsAsync(default));

        e.IsAuthentication.ShouldBeTrue();
    }
}
