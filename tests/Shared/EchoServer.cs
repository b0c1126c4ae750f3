using System.Net;
using System.Net.Sockets;

namespace Doris.Testing;

/// <summary>A loopback TCP server that sends back whatever it receives: the pod port behind a tunnel.</summary>
public sealed class EchoServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public EchoServer()
    {
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _ = AcceptAsync();
    }

    public IPEndPoint EndPoint { get; }

    public int Accepted { get; private set; }

    public void Dispose() => _listener.Stop();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync();
                Accepted++;
                _ = EchoAsync(socket);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    private static async Task EchoAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[8192];
            try
            {
                int read;
                while ((read = await socket.ReceiveAsync(buffer)) > 0)
                {
                    await socket.SendAsync(buffer.AsMemory(0, read));
                }
            }
            catch (SocketException)
            {
                // the tunnel went away
            }
        }
    }
}
