namespace Doris.Sql.Tests;

/// <summary>The client against a real MariaDB server over TCP.</summary>
[Collection("mariadb")]
public sealed class MariaDbProtocolTests(MariaDbServer server)
{
    [Fact]
    public async Task Open_RightPassword_HandshakesAndPings()
    {
        await using var c = await MySqlConnection.OpenAsync(server.Options());

        c.ServerVersion.ShouldContain("MariaDB");
        await c.PingAsync();
        var result = await c.QueryAsync("SELECT CURRENT_USER() AS who, 1 + 1 AS two");
        result.Columns.ShouldBe(["who", "two"]);
        result.Rows.Single().ShouldBe([$"{MariaDbServer.User}@%", "2"]);
    }

    [Fact]
    public async Task Open_WrongPassword_ThrowsAccessDeniedWithCode1045()
    {
        var e = await Should.ThrowAsync<MySqlServerException>(() => MySqlConnection.OpenAsync(server.Options("wrong")));

        e.Code.ShouldBe(1045);
        e.SqlState.ShouldBe("28000");
        e.IsAuthentication.ShouldBeTrue();
        e.Message.ShouldContain("authSecret");
        e.Message.ShouldNotContain("wrong", Case.Sensitive, "the password never appears in a message");
    }

    [Fact]
    public async Task Open_TlsRequired_WithTheServersCa_IsEncrypted()
    {
        await using var c = await MySqlConnection.OpenAsync(server.Options() with { Tls = TlsMode.Required, CertificateAuthority = server.CertificateAuthority });

        c.IsEncrypted.ShouldBeTrue();
        (await c.QueryAsync("SHOW STATUS LIKE 'Ssl_version'")).Rows.Single()[1]!.ShouldStartWith("TLS");
    }

    // A server that verifies clients (MariaDB's REQUIRE X509, a Doris FE with mutual TLS) gets our certificate.
    [Fact]
    public async Task Open_AccountRequiresX509_WithOurClientCertificate_Succeeds()
    {
        var options = server.Options() with { User = MariaDbServer.X509User, Tls = TlsMode.Required, CertificateAuthority = server.CertificateAuthority, ClientCertificate = server.ClientCertificate };

        await using var c = await MySqlConnection.OpenAsync(options);

        c.IsEncrypted.ShouldBeTrue();
        (await c.QueryAsync("SELECT CURRENT_USER()")).Rows.Single()[0].ShouldBe($"{MariaDbServer.X509User}@%");
    }

    [Fact]
    public async Task Open_AccountRequiresX509_WithoutAClientCertificate_IsRefused()
    {
        var options = server.Options() with { User = MariaDbServer.X509User, Tls = TlsMode.Required, CertificateAuthority = server.CertificateAuthority };

        var e = await Should.ThrowAsync<MySqlException>(() => MySqlConnection.OpenAsync(options));

        e.Message.ShouldContain("Access denied");
    }

    [Fact]
    public async Task Open_TlsRequired_CertificateNotTrusted_IsRefused()
    {
        var e = await Should.ThrowAsync<MySqlConnectionException>(() => MySqlConnection.OpenAsync(server.Options() with { Tls = TlsMode.Required }));

        e.Message.ShouldContain("certificate");
    }

    [Fact]
    public async Task Open_TlsDisabled_StaysPlain()
    {
        await using var c = await MySqlConnection.OpenAsync(server.Options());

        c.IsEncrypted.ShouldBeFalse();
    }

    [Fact]
    public async Task Open_NothingListening_ThrowsConnectionErrorNamingTheAddress()
    {
        var e = await Should.ThrowAsync<MySqlConnectionException>(() => MySqlConnection.OpenAsync(new MySqlOptions("127.0.0.1", 1, "u", "p") { ConnectTimeout = TimeSpan.FromSeconds(2) }));

        e.Message.ShouldContain("127.0.0.1:1");
    }

    [Fact]
    public async Task Query_NullsAndEmptyStrings_AreDistinct()
    {
        await using var c = await MySqlConnection.OpenAsync(server.Options());

        var row = (await c.QueryAsync("SELECT NULL AS a, '' AS b, 'x' AS c")).Rows.Single();

        row.ShouldBe([null, string.Empty, "x"]);
    }

    [Fact]
    public async Task Query_ManyRows_AllArrive()
    {
        await using var c = await MySqlConnection.OpenAsync(server.Options() with { Database = "doris_test" });

        var result = await c.QueryAsync("SELECT seq, REPEAT('r', seq % 300) AS pad FROM seq_1_to_20000");

        result.Rows.Count.ShouldBe(20000);
        result.Rows[^1][0].ShouldBe("20000");
        result.Rows[298][1]!.Length.ShouldBe(299);
    }

    [Fact]
    public async Task Query_ValueLargerThanOnePacket_IsJoinedFromContinuationPackets()
    {
        await using var c = await MySqlConnection.OpenAsync(server.Options());

        var result = await c.QueryAsync("SELECT REPEAT('x', 17000000) AS big, 'after' AS tail");

        result.Rows.Single()[0]!.Length.ShouldBe(17_000_000);
        result.Rows.Single()[1].ShouldBe("after");
        (await c.QueryAsync("SELECT 'still in step' AS s")).Rows.Single()[0].ShouldBe("still in step");
    }

    [Fact]
    public async Task Query_StatementLargerThanOnePacket_IsSplitWhenSent()
    {
        await using var c = await MySqlConnection.OpenAsync(server.Options());
        var literal = new string('y', 16_777_300);

        var result = await c.QueryAsync($"SELECT LENGTH('{literal}') AS n");

        result.Rows.Single()[0].ShouldBe("16777300");
    }

    [Fact]
    public async Task Query_Error_CarriesCodeAndStateAndTheConnectionStaysUsable()
    {
        await using var c = await MySqlConnection.OpenAsync(server.Options());

        var e = await Should.ThrowAsync<MySqlServerException>(() => c.QueryAsync("SELECT * FROM doris_test.no_such_table"));

        e.Code.ShouldBe(1146);
        e.SqlState.ShouldBe("42S02");
        c.IsBroken.ShouldBeFalse();
        (await c.QueryAsync("SELECT 7 AS n")).Rows.Single()[0].ShouldBe("7");
    }

    [Fact]
    public async Task Execute_Ddl_AndDml_ReportAffectedRows()
    {
        await using var c = await MySqlConnection.OpenAsync(server.Options() with { Database = "doris_test" });

        await c.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))");
        (await c.ExecuteAsync("INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'c')")).ShouldBe(3UL);
        (await c.QueryAsync("SELECT id, v FROM t ORDER BY id")).Rows.Select(r => r[1]).ShouldBe(["a", null, "c"]);
    }

    [Fact]
    public async Task Query_SlowerThanTheCommandTimeout_BreaksTheConnectionWithAClearError()
    {
        await using var c = await MySqlConnection.OpenAsync(server.Options() with { CommandTimeout = TimeSpan.FromSeconds(1) });

        var e = await Should.ThrowAsync<MySqlConnectionException>(() => c.QueryAsync("SELECT SLEEP(5)"));

        e.Message.ShouldContain("did not answer within 1s");
        c.IsBroken.ShouldBeTrue();
    }

    [Fact]
    public async Task Query_Cancelled_StopsAndBreaksTheConnection()
    {
        await using var c = await MySqlConnection.OpenAsync(server.Options());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Should.ThrowAsync<OperationCanceledException>(() => c.QueryAsync("SELECT SLEEP(5)", cancel.Token));

        c.IsBroken.ShouldBeTrue();
    }

    [Fact]
    public async Task Pool_ReusesHealthyConnections_AndDropsBrokenOnes()
    {
        await using var pool = new MySqlPool(server.Options(), maxSize: 2);

        var first = await pool.QueryAsync("SELECT CONNECTION_ID() AS id");
        var second = await pool.QueryAsync("SELECT CONNECTION_ID() AS id");
        second.Rows.Single()[0].ShouldBe(first.Rows.Single()[0], "the idle connection was reused");

        await Should.ThrowAsync<MySqlServerException>(() => pool.QueryAsync("SELECT nonsense FROM nowhere"));
        (await pool.QueryAsync("SELECT CONNECTION_ID() AS id")).Rows.Single()[0].ShouldBe(first.Rows.Single()[0], "a statement error does not cost the connection");
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => pool.QueryAsync("SELECT SLEEP(0.1)")));
        pool.Created.ShouldBeLessThanOrEqualTo(2);
    }
}
