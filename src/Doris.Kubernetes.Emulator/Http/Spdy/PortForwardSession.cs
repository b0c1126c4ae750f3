using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Doris.Kubernetes.Emulator.Http.Spdy;

/// <summary>
/// The portforward.k8s.io protocol over one SPDY/3.1 connection, as kubelet speaks it: for each forwarded
/// connection the client opens an error stream and a data stream (headers streamtype, port, requestid); the data
/// stream is joined to a TCP connection to whatever the pod's port is in the simulation, and a port nothing
/// listens on is reported on the error stream, which kubectl prints.
/// </summary>
internal sealed class PortForwardSession(Stream connection, Func<int, IPEndPoint?> target, string pod)
{
    private const int MaxDataFrame = 32 * 1024;

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly HeaderCompression _headers = new();
    private readonly ConcurrentDictionary<int, Socket> _sockets = new();
    private readonly ConcurrentDictionary<string, int> _errorStreams = new(StringComparer.Ordinal);
    private readonly List<Task> _pumps = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await SpdyFrame.ReadAsync(connection, cancellationToken).ConfigureAwait(false) is { } frame)
            {
                if (!frame.Control)
                {
                    await ToTargetAsync(frame, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                switch (frame.Type)
                {
                    case SpdyFrame.SynStream:
                        await OpenAsync(frame, cancellationToken).ConfigureAwait(false);
                        break;
                    case SpdyFrame.Ping:
                        await WriteAsync(SpdyFrame.ControlFrame(SpdyFrame.Ping, 0, frame.Payload), cancellationToken).ConfigureAwait(false);
                        break;
                    case SpdyFrame.RstStream when _sockets.TryRemove(frame.StreamId, out var reset):
                        reset.Dispose();
                        break;
                    case SpdyFrame.GoAway:
                        return;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away or spoke something else: the connection ends, nothing else is affected
        }
        finally
        {
            foreach (var socket in _sockets.Values)
            {
                socket.Dispose();
            }

            await Task.WhenAll(_pumps).ConfigureAwait(false);
        }
    }

    private async Task OpenAsync(SpdyFrame frame, CancellationToken cancellationToken)
    {
        // SYN_STREAM: stream id, associated id, priority and slot, then the header block.
        var headers = _headers.Read(frame.Payload.AsSpan(10));
        var reply = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(reply, (uint)frame.StreamId);
        await WriteAsync(SpdyFrame.ControlFrame(SpdyFrame.SynReply, 0, [.. reply, .. _headers.Write(new Dictionary<string, string>())]), cancellationToken).ConfigureAwait(false);

        var request = headers.GetValueOrDefault("requestid") ?? string.Empty;
        if (headers.GetValueOrDefault("streamtype") == "error")
        {
            _errorStreams[request] = frame.StreamId;
            return;
        }

        if (!int.TryParse(headers.GetValueOrDefault("port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            await FailAsync(request, frame.StreamId, $"invalid port header \"{headers.GetValueOrDefault("port")}\"", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (target(port) is not { } endpoint)
        {
            await FailAsync(request, frame.StreamId, $"error forwarding port {port} to pod {pod}: the simulated pod does not listen on port {port} (the sandbox serves the FE's MySQL query port)", cancellationToken).ConfigureAwait(false);
            return;
        }

        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            await FailAsync(request, frame.StreamId, $"error forwarding port {port} to pod {pod}: {e.Message}", cancellationToken).ConfigureAwait(false);
            return;
        }

        _sockets[frame.StreamId] = socket;
        _pumps.Add(Task.Run(() => FromTargetAsync(socket, frame.StreamId, request, cancellationToken), cancellationToken));
    }

    private async Task ToTargetAsync(SpdyFrame frame, CancellationToken cancellationToken)
    {
        if (!_sockets.TryGetValue(frame.StreamId, out var socket))
        {
            return; // the error stream's (empty) close, or data for a stream already gone
        }

        try
        {
            if (frame.Payload.Length > 0)
            {
                await socket.SendAsync(frame.Payload, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }

            if ((frame.Flags & SpdyFrame.Fin) != 0)
            {
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (SocketException)
        {
            // the target closed first; its pump ends the stream
        }
    }

    private async Task FromTargetAsync(Socket socket, int streamId, string request, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxDataFrame];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await WriteAsync(SpdyFrame.Data(streamId, buffer.AsSpan(0, read), fin: false), cancellationToken).ConfigureAwait(false);
            }

            await WriteAsync(SpdyFrame.Data(streamId, [], fin: true), cancellationToken).ConfigureAwait(false);
            if (_errorStreams.TryRemove(request, out var errorStream))
            {
                await WriteAsync(SpdyFrame.Data(errorStream, [], fin: true), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // either side went away
        }
        finally
        {
            _sockets.TryRemove(streamId, out _);
            socket.Dispose();
        }
    }

    private async Task FailAsync(string request, int dataStream, string message, CancellationToken cancellationToken)
    {
        if (_errorStreams.TryRemove(request, out var errorStream))
        {
            await WriteAsync(SpdyFrame.Data(errorStream, Encoding.UTF8.GetBytes(message), fin: true), cancellationToken).ConfigureAwait(false);
        }

        await WriteAsync(SpdyFrame.Data(dataStream, [], fin: true), cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
