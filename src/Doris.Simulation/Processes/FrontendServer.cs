using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
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
        using var _ = client;
        if (Model.FrontendDown)
        {
            return; // the FE process is gone: the connection is closed at once
        }

        var packets = new PacketStream(client.GetStream());
        var token = _stop.Token;
        try
        {
            var scramble = RandomNumberGenerator.GetBytes(20).Select(b => (byte)((b % 94) + 33)).ToArray();
            var caps = Capabilities.LongPassword | Capabilities.LongFlag | Capabilities.ConnectWithDb | Capabilities.Protocol41 | Capabilities.Transactions | Capabilities.SecureConnection | Capabilities.PluginAuth;
            await packets.WriteAsync(new Handshake("5.7.99", ++_connections, scramble, caps, 33, "mysql_native_password").Write(), token).ConfigureAwait(false);
            var login = await packets.ReadAsync(token).ConfigureAwait(false);
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
        catch (Exception e) when (e is IOException or MySqlException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // the client went away
        }
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
