using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Doris.Operator.Runtime;

/// <summary>
/// The operator's probe and metrics endpoint: HTTP/1.1 GET (and HEAD) on a few fixed paths, one request per
/// connection. Kubelet probes and Prometheus scrapes need nothing more, and serving them from a socket instead of
/// Kestrel keeps ASP.NET Core's assemblies, dependency injection and hosting out of the operator process (about
/// 15 MiB of mapped code and 150 ms of start-up, bench/RESULTS.md). Requests are bounded in size, time and
/// concurrency so a misbehaving client cannot hold the operator's probes hostage.
/// </summary>
public sealed class ProbeServer : IAsyncDisposable
{
    /// <summary>Largest request head accepted (request line and headers).</summary>
    public const int MaxHead = 8 * 1024;

    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);
    private const int MaxConcurrent = 16;

    private readonly TcpListener _listener;
    private readonly Func<string, Response?> _handle;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrent);
    private readonly Task _accepting;

    /// <summary>What a path answers: status, content type and body.</summary>
    public sealed record Response(int Status, string ContentType, string Body);

    private ProbeServer(TcpListener listener, Func<string, Response?> handle)
    {
        _listener = listener;
        _handle = handle;
        _accepting = Task.Run(AcceptAsync);
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <param name="handle">The response for a path (without query), or null for 404.</param>
    public static ProbeServer Start(IPAddress address, int port, Func<string, Response?> handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var listener = new TcpListener(address, port);
        listener.Start();
        return new ProbeServer(listener, handle);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _slots.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                await _slots.WaitAsync(_stop.Token).ConfigureAwait(false);
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await ServeAsync(socket).ConfigureAwait(false);
                }
                finally
                {
                    socket.Dispose();
                    _slots.Release();
                }
            });
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(ReadTimeout);
        var buffer = new byte[MaxHead];
        var read = 0;
        var end = -1;
        try
        {
            while (end < 0 && read < buffer.Length)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return; // closed before a whole request
                }

                read += n;
                end = buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            return;
        }

        var head = false;
        var response = end < 0 ? new Response(431, "text/plain", "request head too large\n") : Answer(Encoding.ASCII.GetString(buffer, 0, end), out head);
        var body = Encoding.UTF8.GetBytes(response.Body);
        var reply = new StringBuilder()
            .Append("HTTP/1.1 ").Append(response.Status).Append(' ').Append(Reason(response.Status)).Append("\r\n")
            .Append("Content-Type: ").Append(response.ContentType).Append("\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n")
            .Append("Connection: close\r\n\r\n");
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(reply.ToString()), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            if (!head)
            {
                await socket.SendAsync(body, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            }

            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
        }
    }

    private Response Answer(string request, out bool head)
    {
        head = false;
        var line = request.AsSpan(0, Math.Max(0, request.IndexOf('\r') is var cr and >= 0 ? cr : request.Length));
        var parts = line.ToString().Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || !parts[1].StartsWith('/'))
        {
            return new Response(400, "text/plain", "bad request\n");
        }

        if (parts[0] is not ("GET" or "HEAD"))
        {
            return new Response(405, "text/plain", "only GET and HEAD\n");
        }

        head = parts[0] == "HEAD";
        var path = parts[1].Split('?', 2)[0];
        try
        {
            return _handle(path) ?? new Response(404, "text/plain", "not found\n");
        }
#pragma warning disable CA1031 // a failing handler answers 500; the probe server must keep serving
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new Response(500, "text/plain", e.Message + "\n");
        }
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
