using System.Net;
using System.Net.Sockets;

namespace Doris.Kubernetes.Client.PortForwarding;

/// <summary>
/// <c>kubectl port-forward</c> inside the process: a loopback listener whose every connection is carried to a pod
/// port through the API server (<see cref="PortForwardTunnel"/>). The first tunnel is opened before the listener is
/// handed out, so a pod that is missing, not running or not listening is an error at start, not a hang later.
/// </summary>
public sealed class PortForwarder : IAsyncDisposable
{
    private readonly KubernetesClient _client;
    private readonly string _ns;
    private readonly string _pod;
    private readonly int _port;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private PortForwardTunnel? _first;

    private PortForwarder(KubernetesClient client, string ns, string pod, int port, PortForwardTunnel first)
    {
        (_client, _ns, _pod, _port, _first) = (client, ns, pod, port, first);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        LocalEndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = AcceptAsync(_stop.Token);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The last tunnel failure after start (the server's error-channel text or why the upgrade failed).</summary>
    public string? LastError { get; private set; }

    public static async Task<PortForwarder> StartAsync(KubernetesClient client, string ns, string pod, int port, CancellationToken cancellationToken)
    {
        var first = await PortForwardTunnel.OpenAsync(client, ns, pod, port, cancellationToken).ConfigureAwait(false);
        return new PortForwarder(client, ns, pod, port, first);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        if (Interlocked.Exchange(ref _first, null) is { } unused)
        {
            await unused.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_connections).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket local;
            try
            {
                local = await _listener.AcceptSocketAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _connections.Add(CarryAsync(local, stopping));
        }
    }

    private async Task CarryAsync(Socket local, CancellationToken stopping)
    {
        using (local)
        {
            PortForwardTunnel tunnel;
            try
            {
                tunnel = Interlocked.Exchange(ref _first, null) ?? await PortForwardTunnel.OpenAsync(_client, _ns, _pod, _port, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or Errors.KubernetesApiException or HttpRequestException or OperationCanceledException)
            {
                LastError = e.Message;
                return;
            }

            await using (tunnel.ConfigureAwait(false))
            {
                using var ended = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                var up = UpAsync(local, tunnel, ended.Token);
                var down = DownAsync(local, tunnel, ended.Token);
                await Task.WhenAny(up, down).ConfigureAwait(false);
                await ended.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(up, down).ConfigureAwait(false);
            }
        }
    }

    private static async Task UpAsync(Socket local, PortForwardTunnel tunnel, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await local.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await tunnel.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // either side went away
        }
    }

    private async Task DownAsync(Socket local, PortForwardTunnel tunnel, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await tunnel.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await local.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }

            // kept before the local side sees the end, so whoever reads that end can ask why
            if (tunnel.Error.Length > 0)
            {
                LastError = tunnel.Error;
            }

            local.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // either side went away
        }
    }
}
