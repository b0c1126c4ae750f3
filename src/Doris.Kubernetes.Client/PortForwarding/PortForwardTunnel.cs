using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;

namespace Doris.Kubernetes.Client.PortForwarding;

/// <summary>
/// One forwarded connection to one pod port: a WebSocket to <c>pods/{name}/portforward?ports=N</c> with kubelet's
/// <c>v4.channel.k8s.io</c> protocol. Channel 0 carries the bytes, channel 1 the server's error text; each opens
/// with the port number (two bytes, little-endian), which the tunnel checks before any data flows.
/// </summary>
public sealed class PortForwardTunnel : IAsyncDisposable
{
    public const string Protocol = "v4.channel.k8s.io";
    private const byte DataChannel = 0;
    private const byte ErrorChannel = 1;

    private readonly ClientWebSocket _socket;
    private readonly StringBuilder _error = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly byte[] _receiveBuffer = new byte[32 * 1024];
    private int _channel = -1;
    private ReadOnlyMemory<byte> _pending = ReadOnlyMemory<byte>.Empty;

    private PortForwardTunnel(ClientWebSocket socket) => _socket = socket;

    /// <summary>What the server said on the error channel (e.g. nothing listens on the port); empty if nothing.</summary>
    public string Error => _error.ToString();

    public static async Task<PortForwardTunnel> OpenAsync(KubernetesClient client, string ns, string pod, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var http = new UriBuilder(new Uri(client.Connection.Server, $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(pod)}/portforward"))
        {
            Query = $"ports={port}",
        };
        http.Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(Protocol);
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            // Through the client's own handler: the same TLS verification, client certificate and credentials.
            await socket.ConnectAsync(http.Uri, client.Http, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            var code = socket.HttpStatusCode;
            socket.Dispose();
            throw await RefusedAsync(client, ns, pod, port, code, e, cancellationToken).ConfigureAwait(false);
        }

        var tunnel = new PortForwardTunnel(socket);
        try
        {
            await tunnel.ExpectPortAsync(port, cancellationToken).ConfigureAwait(false);
            return tunnel;
        }
        catch
        {
            await tunnel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Bytes from the pod; 0 when the connection ended (then <see cref="Error"/> says why, if anything).</summary>
    public async Task<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (channel, payload) = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (channel < 0)
            {
                return 0;
            }

            if (channel == ErrorChannel)
            {
                _error.Append(Encoding.UTF8.GetString(payload.Span));
                continue;
            }

            if (channel == DataChannel && payload.Length > 0)
            {
                // what does not fit is kept for the next read (it lives in the receive buffer, so copy it)
                var count = Math.Min(payload.Length, destination.Length);
                payload[..count].CopyTo(destination);
                if (count < payload.Length)
                {
                    _pending = payload[count..].ToArray();
                }

                return count;
            }
        }
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var message = new byte[data.Length + 1];
        message[0] = DataChannel;
        data.CopyTo(message.AsMemory(1));
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
            {
                // the server is already gone
            }
        }

        _socket.Dispose();
        _sendGate.Dispose();
    }

    private async Task ExpectPortAsync(int port, CancellationToken cancellationToken)
    {
        var seen = new HashSet<int>();
        while (seen.Count < 2)
        {
            var (channel, payload) = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (channel is not (DataChannel or ErrorChannel) || payload.Length != 2 || BinaryPrimitives.ReadUInt16LittleEndian(payload.Span) != port || !seen.Add(channel))
            {
                throw new IOException($"port forward to port {port}: the server did not open the data and error channels with the port number (got channel {channel}, {payload.Length} bytes); it does not speak {Protocol} as kubelet does");
            }
        }
    }

    /// <summary>The next message: its channel (-1 once closed) and payload after the channel byte.</summary>
    private async Task<(int Channel, ReadOnlyMemory<byte> Payload)> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (!_pending.IsEmpty)
        {
            var rest = _pending;
            _pending = ReadOnlyMemory<byte>.Empty;
            return (DataChannel, rest);
        }

        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseSent))
        {
            return (-1, ReadOnlyMemory<byte>.Empty);
        }

        WebSocketReceiveResult result;
        try
        {
            result = await _socket.ReceiveAsync(_receiveBuffer, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
            return (-1, ReadOnlyMemory<byte>.Empty); // the server dropped the connection without a close frame
        }

        if (result.MessageType == WebSocketMessageType.Close)
        {
            return (-1, ReadOnlyMemory<byte>.Empty);
        }

        var payload = _receiveBuffer.AsMemory(0, result.Count);
        if (_channel < 0)
        {
            if (payload.IsEmpty)
            {
                return (DataChannel, ReadOnlyMemory<byte>.Empty);
            }

            _channel = payload.Span[0];
            payload = payload[1..];
        }

        var channel = _channel;
        if (result.EndOfMessage)
        {
            _channel = -1; // a long message arrives in parts; only its first part starts with the channel byte
        }

        return (channel, payload);
    }

    private static async Task<Exception> RefusedAsync(KubernetesClient client, string ns, string pod, int port, System.Net.HttpStatusCode code, WebSocketException e, CancellationToken cancellationToken)
    {
        // The handshake's answer body is not available to a WebSocket client: read the pod to say why.
        string why;
        try
        {
            var found = await client.For(ResourceDescriptor.Pods, Doris.Kubernetes.Serialization.KubernetesJsonContext.Default.Pod).GetAsync(ns, pod, cancellationToken).ConfigureAwait(false);
            // a pod without a phase has not been scheduled yet: Pending, as kubectl shows it
            why = (found.Status?.Phase ?? "Pending") is var phase and not "Running"
                ? $"pod {ns}/{pod} is {phase}, not Running"
                : $"the API server answered {(int)code} to the WebSocket upgrade ({e.Message}); it needs the {Protocol} port-forward protocol and the create verb on pods/portforward";
        }
        catch (Errors.KubernetesApiException api)
        {
            why = api.Message;
        }

        return new IOException($"port forward to {ns}/{pod}:{port}: {why}", e);
    }
}
