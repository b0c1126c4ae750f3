namespace Doris.Sql.Tests;

/// <summary>
/// Against a server that accepts TLS only (MariaDB with <c>require_secure_transport=ON</c>, as an FE with
/// <c>enable_tls = true</c>): the plain attempt is refused with the server's reason, the mutual-TLS connection the
/// operator makes from fe.conf and <c>feSpec.secrets</c> gets through and runs statements.
/// </summary>
public sealed class SecureTransportTests(SecureTransportMariaDbServer server) : IClassFixture<SecureTransportMariaDbServer>
{
    [Fact]
    public async Task Open_PlainToATlsOnlyServer_RefusedNamingTlsAsAPossibleCause()
    {
        // MariaDB answers a plain login here with the 1045 of a wrong password, so the message names both causes.
        var e = await Should.ThrowAsync<MySqlServerException>(() => MySqlConnection.OpenAsync(server.Options()));

        e.Code.ShouldBe(1045);
        e.Message.ShouldContain("authSecret");
        e.Message.ShouldContain("enable_tls = true");
    }

    [Fact]
    public async Task Open_MutualTlsToATlsOnlyServer_ConnectsAndQueries()
    {
        var options = server.Options() with { User = MariaDbServer.X509User, Tls = TlsMode.Required, CertificateAuthority = server.CertificateAuthority, ClientCertificate = server.ClientCertificate };

        await using var c = await MySqlConnection.OpenAsync(options);

        c.IsEncrypted.ShouldBeTrue();
        (await c.QueryAsync("SELECT @@require_secure_transport")).Rows.Single()[0].ShouldBe("1");
    }
}
