using System.Net;
using System.Net.Sockets;
using System.Text;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Kubernetes.Client.Tests;

/// <summary>
/// The watch reader against a server that sends exactly the bytes given, over a real socket, cut into small writes:
/// events split anywhere (inside a line, inside a multi-byte character), blank and CRLF lines, a last line without its
/// newline, and the hostile cases (not JSON, an ERROR event, a line without end).
/// </summary>
public sealed class WatchStreamTests
{
    private static string Cm(string name, string value) =>
        $$$$"""{"type":"ADDED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{{name}}}}","namespace":"default","resourceVersion":"{{{{name.Length}}}}"},"data":{"k":"{{{{value}}}}"}}}""";

    [Fact]
    public async Task Watch_EventsCutIntoPiecesWithBlankAndCrlfLines_DecodedWholeAndInOrder()
    {
        var body = Cm("a", "héllo ✓") + "\n\n" + Cm("bb", "two") + "\r\n   \n" + Cm("ccc", new string('x', 70_000)) + "\n" + Cm("dddd", "no newline at the end");
        await using var server = RawServer.Start(Encoding.UTF8.GetBytes(body), chunk: 7);
        using var client = server.Client();

        var seen = new List<ConfigMap>();
        await foreach (var e in client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap).WatchAsync("default", "1"))
        {
            e.Type.ShouldBe("ADDED");
            seen.Add(e.Object);
        }

        seen.Select(c => c.Metadata!.Name).ShouldBe(["a", "bb", "ccc", "dddd"]);
        seen[0].Data!["k"].ShouldBe("héllo ✓");
        seen[2].Data!["k"].Length.ShouldBe(70_000);
    }

    [Theory]
    [InlineData("{\"type\":\"MODIFIED\",\"object\":{\"kind\":\n", "StreamUndecodable")]
    [InlineData("[1,2]\n", "StreamUndecodable")]
    [InlineData("{\"type\":\"ADDED\"}\n", "StreamUndecodable")]
    [InlineData("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,\"reason\":\"Expired\",\"message\":\"too old resource version\"}}\n", "Expired")]
    [InlineData("{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bad\",\"namespace\":\"default\"},\"data\":{\"k\":3}}}\n", "ObjectUndecodable")]
    public async Task Watch_HostileLine_EndsWithAClassifiedError(string line, string reason)
    {
        await using var server = RawServer.Start(Encoding.UTF8.GetBytes(Cm("first", "ok") + "\n" + line), chunk: 5);
        using var client = server.Client();
        var names = new List<string>();

        var error = await Should.ThrowAsync<KubernetesApiException>(async () =>
        {
            await foreach (var e in client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap).WatchAsync("default", "1"))
            {
                names.Add(e.Object.Metadata!.Name!);
            }
        });

        names.ShouldBe(["first"], "the event before the bad line is delivered");
        error.Reason.ShouldBe(reason, error.Message);
        if (reason == "ObjectUndecodable")
        {
            error.Message.ShouldContain("data.k");
            error.Message.ShouldContain("the value 3 is not a string");
        }
    }

    // A server that never ends a line would otherwise be buffered without limit.
    [Fact]
    public async Task Watch_LineLongerThanAnyObjectWithoutEnd_RefusedBeforeItTakesTheMemory()
    {
        var endless = new byte[WatchStream.MaxLineBytes + (1024 * 1024)];
        Array.Fill(endless, (byte)' ');
        endless[0] = (byte)'{';
        await using var server = RawServer.Start(endless, chunk: 1 << 20);
        using var client = server.Client();

        var error = await Should.ThrowAsync<KubernetesApiException>(async () =>
        {
            await foreach (var _ in client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap).WatchAsync("default", "1"))
            {
            }
        });

        error.Reason.ShouldBe("StreamUndecodable");
        error.Message.ShouldContain("16 MiB");
    }

    /// <summary>An HTTP/1.1 server over a real socket that answers any request with 200 and the given body, written in pieces.</summary>
    private sealed class RawServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _serving;

        private RawServer(TcpListener listener, Task serving)
        {
            _listener = listener;
            _serving = serving;
        }

        public static RawServer Start(byte[] body, int chunk)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new RawServer(listener, ServeAsync(listener, body, chunk));
        }

        public KubernetesClient Client()
        {
            var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            var kubeconfig = $"apiVersion: v1\nkind: Config\ncurrent-context: raw\nclusters:\n- name: raw\n  cluster:\n    server: http://127.0.0.1:{port}\nusers:\n- name: raw\n  user: {{token: t}}\ncontexts:\n- name: raw\n  context:\n    cluster: raw\n    user: raw\n";
            return new KubernetesClient(KubeConfigLoader.Parse(kubeconfig, "raw", null, TimeProvider.System));
        }

        private static async Task ServeAsync(TcpListener listener, byte[] body, int chunk)
        {
            using var socket = await listener.AcceptSocketAsync();
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var request = new byte[8192];
            var read = 0;
            while (!Encoding.ASCII.GetString(request, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                read += await stream.ReadAsync(request.AsMemory(read));
            }

            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"u8.ToArray());
            try
            {
                for (var at = 0; at < body.Length; at += chunk)
                {
                    await stream.WriteAsync(body.AsMemory(at, Math.Min(chunk, body.Length - at)));
                    await stream.FlushAsync();
                }
            }
            catch (IOException)
            {
                // the client stopped reading (a refused line): that is the point
            }

            socket.Shutdown(SocketShutdown.Both);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _serving;
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
            }
        }
    }
}
