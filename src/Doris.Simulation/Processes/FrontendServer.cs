using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Doris.Sql;
using Doris.Sql.Protocol;

namespace Doris.Simulation.Processes;

/// <summary>
/// The server side of the MySQL protocol for a simulated FE, on a loopback port: handshake, mysql_native_password
/// check, COM_QUERY answered by the <see cref="DorisModel"/>, COM_PING, COM_QUIT. Each connection runs on its own task.
/// </summary>
public sealed class FrontendServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private uint _connections;

    public FrontendServer(DorisModel model)
    {
        Model = model;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public DorisModel Model { get; }

    /// <summary>
    /// TLS the FE requires, as fe.conf <c>enable_tls = true</c> makes a real FE do: its certificate, and the CA a
    /// client's certificate must chain to. Plain connections are then refused.
    /// </summary>
    public sealed record TlsSettings(X509Certificate2 Certificate, X509Certificate2 ClientAuthority);

    /// <summary>Setting it restarts the FE's listener side: open connections are closed, as a restarted FE closes them.</summary>
    public TlsSettings? Tls
    {
        get => _tls;
        set
        {
            if (ReferenceEquals(_tls, value) || (_tls is not null && value is not null && _tls.Certificate.Thumbprint == value.Certificate.Thumbprint && _tls.ClientAuthority.Thumbprint == value.ClientAuthority.Thumbprint))
            {
                return;
            }

            _tls = value;
            foreach (var open in _open.Keys)
            {
                open.Dispose();
            }
        }
    }

    private TlsSettings? _tls;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TcpClient, bool> _open = new();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accept.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var connection = client;
        _open[client] = true;
        try
        {
            await ServeOpenAsync(client).ConfigureAwait(false);
        }
        finally
        {
            _open.TryRemove(client, out _);
        }
    }

    private async Task ServeOpenAsync(TcpClient client)
    {
        if (Model.FrontendDown)
        {
            return; // the FE process is gone: the connection is closed at once
        }

        var packets = new PacketStream(client.GetStream());
        var token = _stop.Token;
        try
        {
            var scramble = RandomNumberGenerator.GetBytes(20).Select(b => (byte)((b % 94) + 33)).ToArray();
            var tls = Tls;
            var caps = Capabilities.LongPassword | Capabilities.LongFlag | Capabilities.ConnectWithDb | Capabilities.Protocol41 | Capabilities.Transactions | Capabilities.SecureConnection | Capabilities.PluginAuth;
            if (tls is not null)
            {
                caps |= Capabilities.Ssl;
            }

            await packets.WriteAsync(new Handshake("5.7.99", ++_connections, scramble, caps, 33, "mysql_native_password").Write(), token).ConfigureAwait(false);
            var login = await packets.ReadAsync(token).ConfigureAwait(false);
            if (tls is not null)
            {
                // An SSL request is the 32-byte start of a login with the SSL flag; anything else is a plain login.
                if (login.Length != 32 || ((Capabilities)BitConverter.ToUInt32(login, 0) & Capabilities.Ssl) == 0)
                {
                    await packets.WriteAsync(new ServerError(3159, "HY000", "Connections using insecure transport are prohibited while --require_secure_transport=ON.").Write(), token).ConfigureAwait(false);
                    return;
                }

                var ssl = new SslStream(packets.Stream, leaveInnerStreamOpen: false, (_, certificate, _, _) => ChainsTo(certificate, tls.ClientAuthority));
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = tls.Certificate, ClientCertificateRequired = true }, token).ConfigureAwait(false);
                packets.Stream = ssl;
                login = await packets.ReadAsync(token).ConfigureAwait(false);
            }

            var (user, answer) = ParseLogin(login);
            if (user != Model.User || !NativePassword.Verify(Model.Password, scramble, answer))
            {
                await packets.WriteAsync(new ServerError(1045, "28000", $"Access denied for user '{user}'").Write(), token).ConfigureAwait(false);
                return;
            }

            await packets.WriteAsync(ServerOk.Write(), token).ConfigureAwait(false);
            while (!token.IsCancellationRequested)
            {
                packets.Sequence = 0;
                var command = await packets.ReadAsync(token).ConfigureAwait(false);
                if (command.Length == 0 || command[0] == 0x01)
                {
                    return;
                }

                if (Model.FrontendDown)
                {
                    return;
                }

                switch (command[0])
                {
                    case 0x0E:
                        await packets.WriteAsync(ServerOk.Write(), token).ConfigureAwait(false);
                        break;
                    case 0x03:
                        await ReplyAsync(packets, Model.Execute(Encoding.UTF8.GetString(command.AsSpan(1))), token).ConfigureAwait(false);
                        break;
                    default:
                        await packets.WriteAsync(new ServerError(1047, "08S01", "Unknown command").Write(), token).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or MySqlException or OperationCanceledException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // the client went away, or failed the TLS handshake
        }
    }

    // Mutual TLS: a client certificate is accepted only if it chains to the FE's CA.
    private static bool ChainsTo(X509Certificate? certificate, X509Certificate2 authority)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    private static (string User, byte[] Answer) ParseLogin(byte[] payload)
    {
        var r = new PayloadReader(payload);
        r.UInt32();
        r.UInt32();
        r.Byte();
        r.Bytes(23);
        var user = r.NullTerminated();
        var length = r.Byte();
        return (user, r.Bytes(length).ToArray());
    }

    private static async Task ReplyAsync(PacketStream packets, DorisModel.SqlReply reply, CancellationToken token)
    {
        if (reply.ErrorCode != 0)
        {
            await packets.WriteAsync(new ServerError(reply.ErrorCode, "HY000", reply.Error ?? "error").Write(), token).ConfigureAwait(false);
            return;
        }

        if (reply.Columns is null)
        {
            await packets.WriteAsync(ServerOk.Write(), token).ConfigureAwait(false);
            return;
        }

        await packets.WriteAsync(new PayloadWriter().LengthEncoded((ulong)reply.Columns.Count).ToArray(), token).ConfigureAwait(false);
        foreach (var column in reply.Columns)
        {
            await packets.WriteAsync(new PayloadWriter().LengthEncodedString("def").LengthEncodedString(string.Empty).LengthEncodedString(string.Empty).LengthEncodedString(string.Empty)
                .LengthEncodedString(column).LengthEncodedString(column).LengthEncoded(12).UInt16(33).UInt32(1024).Byte(0xFD).UInt16(0).Byte(0).Zeros(2).ToArray(), token).ConfigureAwait(false);
        }

        await packets.WriteAsync(Eof, token).ConfigureAwait(false);
        foreach (var row in reply.Rows ?? [])
        {
            var w = new PayloadWriter();
            foreach (var cell in row)
            {
                w.LengthEncodedString(cell);
            }

            await packets.WriteAsync(w.ToArray(), token).ConfigureAwait(false);
        }

        await packets.WriteAsync(Eof, token).ConfigureAwait(false);
    }

    private static readonly byte[] Eof = [0xFE, 0, 0, 2, 0];
}
