using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Doris.Kubernetes.Emulator.Storage;
using Microsoft.AspNetCore.Http;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>
/// Port forwarding over a WebSocket with kubelet's channel protocol <c>v4.channel.k8s.io</c> (what the official
/// Python client and our own client speak): each port in <c>?ports=</c> owns two channels, data (2i) and error
/// (2i+1); every binary message starts with its channel byte, and each channel's first message from the server
/// is the port number (two bytes, little-endian). One TCP connection per port lives as long as the WebSocket.
/// </summary>
internal static class WebSocketPortForward
{
    public const string BinaryProtocol = "v4.channel.k8s.io";
    private const int MaxMessage = 32 * 1024;

    public static bool IsRequested(HttpContext http) =>
        http.WebSockets.IsWebSocketRequest && http.WebSockets.WebSocketRequestedProtocols.Contains(BinaryProtocol, StringComparer.Ordinal);

    /// <summary>The ports asked for, repeated or comma-separated as kube-apiserver and the Python client send them.</summary>
    public static IReadOnlyList<int> Ports(IQueryCollection query)
    {
        var ports = new List<int>();
        foreach (var value in query["ports"])
        {
            foreach (var part in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                {
                    throw ApiError.BadRequest($"invalid port \"{part}\" in query parameter \"ports\": a port is a number from 1 to 65535");
                }

                ports.Add(port);
            }
        }

        return ports.Count > 0 ? ports : throw ApiError.BadRequest("query parameter \"ports\" is required: the pod ports to forward, e.g. ?ports=9030");
    }

    public static async Task ServeAsync(HttpContext http, IReadOnlyList<int> ports, string pod, Func<int, IPEndPoint?> target, CancellationToken stopping)
    {
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = BinaryProtocol }).ConfigureAwait(false);
        var gate = new SemaphoreSlim(1, 1);
        for (var i = 0; i < ports.Count; i++)
        {
            await SendAsync(socket, gate, (byte)(2 * i), PortBytes(ports[i]), stopping).ConfigureAwait(false);
            await SendAsync(socket, gate, (byte)((2 * i) + 1), PortBytes(ports[i]), stopping).ConfigureAwait(false);
        }

        var targets = new Socket?[ports.Count];
        var pumps = new List<Task>();
        try
        {
            for (var i = 0; i < ports.Count; i++)
            {
                targets[i] = await ConnectAsync(ports[i], pod, target, socket, gate, (byte)((2 * i) + 1), stopping).ConfigureAwait(false);
                if (targets[i] is { } connected)
                {
                    pumps.Add(FromTargetAsync(connected, socket, gate, (byte)(2 * i), stopping));
                }
            }

            var reading = ToTargetsAsync(socket, targets, stopping);
            // kubelet ends the WebSocket once every forwarded connection has ended, or when the client goes away.
            await Task.WhenAny(Task.WhenAll(pumps), reading).ConfigureAwait(false);
        }
        finally
        {
            foreach (var open in targets)
            {
                open?.Dispose();
            }

            await Task.WhenAll(pumps).ConfigureAwait(false);
            if (socket.State == WebSocketState.Open)
            {
                try
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, stopping).ConfigureAwait(false);
                }
                catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
                {
                    // the client is already gone
                }
            }
        }
    }

    private static async Task<Socket?> ConnectAsync(int port, string pod, Func<int, IPEndPoint?> target, WebSocket socket, SemaphoreSlim gate, byte errorChannel, CancellationToken stopping)
    {
        string message;
        if (target(port) is { } endpoint)
        {
            var connection = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await connection.ConnectAsync(endpoint, stopping).ConfigureAwait(false);
                return connection;
            }
            catch (SocketException e)
            {
                connection.Dispose();
                message = $"error forwarding port {port} to pod {pod}: {e.Message}";
            }
        }
        else
        {
            message = $"error forwarding port {port} to pod {pod}: the simulated pod does not listen on port {port} (the sandbox serves the FE's MySQL query port)";
        }

        await SendAsync(socket, gate, errorChannel, Encoding.UTF8.GetBytes(message), stopping).ConfigureAwait(false);
        return null;
    }

    private static async Task ToTargetsAsync(WebSocket socket, Socket?[] targets, CancellationToken stopping)
    {
        var buffer = new byte[MaxMessage];
        var channel = -1;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, stopping).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var payload = buffer.AsMemory(0, result.Count);
                if (channel < 0 && payload.Length > 0)
                {
                    // a message's first byte names its channel; the client writes only to data channels
                    channel = payload.Span[0];
                    payload = payload[1..];
                }

                if (channel >= 0 && channel % 2 == 0 && channel / 2 < targets.Length && targets[channel / 2] is { } open && payload.Length > 0)
                {
                    await open.SendAsync(payload, SocketFlags.None, stopping).ConfigureAwait(false);
                }

                if (result.EndOfMessage)
                {
                    channel = -1;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // either side went away: the session ends
        }
    }

    private static async Task FromTargetAsync(Socket target, WebSocket socket, SemaphoreSlim gate, byte channel, CancellationToken stopping)
    {
        var buffer = new byte[MaxMessage];
        try
        {
            int read;
            while ((read = await target.ReceiveAsync(buffer, SocketFlags.None, stopping).ConfigureAwait(false)) > 0)
            {
                await SendAsync(socket, gate, channel, buffer.AsMemory(0, read), stopping).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // either side went away
        }
    }

    private static byte[] PortBytes(int port)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)port);
        return bytes;
    }

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim gate, byte channel, ReadOnlyMemory<byte> data, CancellationToken stopping)
    {
        var message = new byte[data.Length + 1];
        message[0] = channel;
        data.CopyTo(message.AsMemory(1));
        await gate.WaitAsync(stopping).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, stopping).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }
}
