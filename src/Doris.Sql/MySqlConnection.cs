using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Doris.Sql.Protocol;

namespace Doris.Sql;

/// <summary>
/// One connection speaking the MySQL client/server protocol: handshake v10, mysql_native_password (with auth
/// switch), optional TLS, COM_QUERY with text result sets, COM_PING, COM_QUIT. A timeout or cancellation in the
/// middle of a command breaks the connection (the protocol cannot resume), so it is closed and marked broken.
/// </summary>
public sealed class MySqlConnection : IAsyncDisposable
{
    private const Capabilities ClientCapabilities = Capabilities.LongPassword | Capabilities.LongFlag | Capabilities.Protocol41 |
        Capabilities.Transactions | Capabilities.SecureConnection | Capabilities.PluginAuth | Capabilities.MultiResults;

    private readonly TcpClient _tcp;
    private readonly PacketStream _packets;
    private readonly MySqlOptions _options;

    private MySqlConnection(TcpClient tcp, MySqlOptions options)
    {
        _tcp = tcp;
        _options = options;
        _packets = new PacketStream(tcp.GetStream());
    }

    public string ServerVersion { get; private set; } = string.Empty;

    public bool IsBroken { get; private set; }

    public bool IsEncrypted => _packets.Stream is SslStream;

    public DateTimeOffset LastUsed { get; private set; } = DateTimeOffset.UtcNow;

    public static async Task<MySqlConnection> OpenAsync(MySqlOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(options.Host, options.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            tcp.Dispose();
            throw new MySqlConnectionException($"cannot connect to {options.Host}:{options.Port} within {options.ConnectTimeout.TotalSeconds:0}s: {e.Message}; check that the FE is running and its query_port is reachable", e);
        }

        var connection = new MySqlConnection(tcp, options);
        try
        {
            await connection.HandshakeAsync(timeout.Token).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a statement that returns rows (SHOW, SELECT).</summary>
    public Task<ResultSet> QueryAsync(string sql, CancellationToken cancellationToken = default) =>
        GuardAsync(ct => QueryCoreAsync(sql, ct), cancellationToken);

    /// <summary>Runs a statement that returns no rows; returns the affected row count.</summary>
    public async Task<ulong> ExecuteAsync(string sql, CancellationToken cancellationToken = default) =>
        await GuardAsync(async ct =>
        {
            await SendCommandAsync(0x03, Encoding.UTF8.GetBytes(sql), ct).ConfigureAwait(false);
            var payload = await _packets.ReadAsync(ct).ConfigureAwait(false);
            return payload.Length > 0 && payload[0] == 0xFF ? throw ErrorOf(payload) : await DrainResultAsync(payload, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    public Task PingAsync(CancellationToken cancellationToken = default) => GuardAsync(async ct =>
    {
        await SendCommandAsync(0x0E, [], ct).ConfigureAwait(false);
        var payload = await _packets.ReadAsync(ct).ConfigureAwait(false);
        if (payload.Length > 0 && payload[0] == 0xFF)
        {
            throw ErrorOf(payload);
        }

        ServerOk.Parse(payload);
        return true;
    }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!IsBroken && _tcp.Connected)
        {
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await SendCommandAsync(0x01, [], quick.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // closing anyway
            }
        }

        IsBroken = true;
        await _packets.Stream.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var greeting = Handshake.Parse(await _packets.ReadAsync(cancellationToken).ConfigureAwait(false));
        ServerVersion = greeting.ServerVersion;
        var caps = ClientCapabilities & (greeting.Capabilities | Capabilities.PluginAuth);
        if (_options.Database is not null)
        {
            caps |= Capabilities.ConnectWithDb;
        }

        var useTls = _options.Tls != TlsMode.Disabled && greeting.Capabilities.HasFlag(Capabilities.Ssl);
        if (_options.Tls == TlsMode.Required && !useTls)
        {
            throw new MySqlConnectionException($"{_options.Host}:{_options.Port} does not offer TLS but TLS is required; enable TLS on the server or allow plain connections");
        }

        if (useTls)
        {
            caps |= Capabilities.Ssl;
            await _packets.WriteAsync(new PayloadWriter().UInt32((uint)caps).UInt32(PacketStream.MaxPacket).Byte(45).Zeros(23).ToArray(), cancellationToken).ConfigureAwait(false);
            var ssl = new SslStream(_packets.Stream, leaveInnerStreamOpen: false, Validate);
            try
            {
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = _options.Host,
                    ClientCertificates = _options.ClientCertificate is { } own ? [own] : null,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Security.Authentication.AuthenticationException e)
            {
                throw new MySqlConnectionException($"the TLS certificate of {_options.Host}:{_options.Port} is not trusted ({e.Message}); give the CA that signed it, never turn verification off", e);
            }

            _packets.Stream = ssl;
        }

        var plugin = greeting.AuthPlugin is "mysql_native_password" ? greeting.AuthPlugin : "mysql_native_password";
        var answer = NativePassword.Scramble(_options.Password, greeting.Scramble);
        var response = new PayloadWriter().UInt32((uint)caps).UInt32(PacketStream.MaxPacket).Byte(45).Zeros(23)
            .NullTerminated(_options.User).Byte((byte)answer.Length).Bytes(answer);
        if (_options.Database is not null)
        {
            response.NullTerminated(_options.Database);
        }

        response.NullTerminated(plugin);
        await _packets.WriteAsync(response.ToArray(), cancellationToken).ConfigureAwait(false);

        while (true)
        {
            var reply = await _packets.ReadAsync(cancellationToken).ConfigureAwait(false);
            switch (reply.Length > 0 ? reply[0] : -1)
            {
                case 0x00:
                    return;
                case 0xFF:
                    var error = ServerError.Parse(reply);
                    // A server that accepts TLS only (MariaDB's require_secure_transport, an FE with enable_tls)
                    // refuses a plain login with the same 1045 as a wrong password: say both.
                    throw new MySqlServerException(error.Code, error.SqlState, error.Code == 1045
                        ? $"{error.Message} ({(IsEncrypted ? _options.AccessDeniedHint.Credentials : $"{_options.AccessDeniedHint.Credentials}; the connection was not encrypted: {_options.AccessDeniedHint.Plain}")})"
                        : error.Message);
                case 0xFE:
                    // Auth switch: the account uses another plugin; we speak mysql_native_password only.
                    var r = new PayloadReader(reply.AsSpan(1));
                    var name = r.NullTerminated();
                    if (name != "mysql_native_password")
                    {
                        throw new MySqlConnectionException($"the server asks for authentication plugin '{name}'; create the operator's account with mysql_native_password");
                    }

                    var scramble = r.Rest().ToArray();
                    await _packets.WriteAsync(NativePassword.Scramble(_options.Password, scramble.AsSpan(0, Math.Min(20, scramble.Length))), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new MySqlProtocolException($"unexpected reply to the handshake (first byte 0x{(reply.Length > 0 ? reply[0] : 0):X2})");
            }
        }
    }

    private async Task<ResultSet> QueryCoreAsync(string sql, CancellationToken cancellationToken)
    {
        await SendCommandAsync(0x03, Encoding.UTF8.GetBytes(sql), cancellationToken).ConfigureAwait(false);
        var first = await _packets.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (first.Length == 0)
        {
            throw new MySqlProtocolException("empty reply to a query");
        }

        if (first[0] == 0xFF)
        {
            throw ErrorOf(first);
        }

        if (first[0] == 0x00)
        {
            return ResultSet.Empty; // a statement without rows
        }

        var count = ReadColumnCount(first);
        var columns = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            columns.Add(ColumnName(await _packets.ReadAsync(cancellationToken).ConfigureAwait(false)));
        }

        ExpectEof(await _packets.ReadAsync(cancellationToken).ConfigureAwait(false));
        var rows = new List<IReadOnlyList<string?>>();
        while (true)
        {
            var payload = await _packets.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (IsEof(payload))
            {
                return new ResultSet(columns, rows);
            }

            if (payload.Length > 0 && payload[0] == 0xFF)
            {
                throw ErrorOf(payload);
            }

            rows.Add(ReadRow(payload, count));
        }
    }

    private async Task<ulong> DrainResultAsync(byte[] first, CancellationToken cancellationToken)
    {
        if (first.Length > 0 && first[0] == 0x00)
        {
            return ServerOk.Parse(first).AffectedRows;
        }

        // A statement that returned rows anyway: read them to keep the connection in step.
        var count = ReadColumnCount(first);
        for (var i = 0; i <= count; i++)
        {
            await _packets.ReadAsync(cancellationToken).ConfigureAwait(false);
        }

        while (!IsEof(await _packets.ReadAsync(cancellationToken).ConfigureAwait(false)))
        {
        }

        return 0;
    }

    internal static int ReadColumnCount(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        var count = r.LengthEncoded() ?? throw new MySqlProtocolException("NULL column count");
        return count is 0 or > 4096 ? throw new MySqlProtocolException($"implausible column count {count}") : (int)count;
    }

    internal static string ColumnName(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        r.LengthEncodedString(); // catalog
        r.LengthEncodedString(); // schema
        r.LengthEncodedString(); // table
        r.LengthEncodedString(); // original table
        var name = r.LengthEncodedString() ?? throw new MySqlProtocolException("a column without a name");
        r.LengthEncodedString(); // original name
        if (r.LengthEncoded() is not { } fixedLength || fixedLength > (ulong)r.Remaining)
        {
            throw new MySqlProtocolException("column definition ends early");
        }

        r.Bytes((int)fixedLength);
        return name;
    }

    internal static IReadOnlyList<string?> ReadRow(ReadOnlySpan<byte> payload, int count)
    {
        var r = new PayloadReader(payload);
        var row = new string?[count];
        for (var i = 0; i < count; i++)
        {
            row[i] = r.LengthEncodedString();
        }

        return r.AtEnd ? row : throw new MySqlProtocolException($"a row has {r.Remaining} bytes beyond its {count} columns");
    }

    private static bool IsEof(byte[] payload) => payload.Length is > 0 and < 9 && payload[0] == 0xFE;

    private static void ExpectEof(byte[] payload)
    {
        if (!IsEof(payload))
        {
            throw new MySqlProtocolException("expected the EOF packet after the column definitions");
        }
    }

    private static MySqlServerException ErrorOf(byte[] payload)
    {
        var e = ServerError.Parse(payload);
        return new MySqlServerException(e.Code, e.SqlState, e.Message);
    }

    private async Task SendCommandAsync(byte command, byte[] argument, CancellationToken cancellationToken)
    {
        _packets.Sequence = 0;
        await _packets.WriteAsync((byte[])[command, .. argument], cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> GuardAsync<T>(Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsBroken, this);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CommandTimeout);
        try
        {
            var result = await run(timeout.Token).ConfigureAwait(false);
            LastUsed = DateTimeOffset.UtcNow;
            return result;
        }
        catch (MySqlServerException)
        {
            LastUsed = DateTimeOffset.UtcNow;
            throw; // the statement failed; the connection is fine
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            IsBroken = true;
            throw new MySqlConnectionException($"{_options.Host}:{_options.Port} did not answer within {_options.CommandTimeout.TotalSeconds:0}s; the connection was closed");
        }
        catch (Exception e) when (e is IOException or SocketException or MySqlProtocolException or OperationCanceledException)
        {
            IsBroken = true;
            throw e is MySqlProtocolException or OperationCanceledException ? e : new MySqlConnectionException($"the connection to {_options.Host}:{_options.Port} broke: {e.Message}", e);
        }
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (_options.CertificateAuthority is not { } ca || certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(new X509Certificate2(certificate));
    }
}
