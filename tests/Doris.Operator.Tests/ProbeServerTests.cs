using System.Net;
using System.Net.Sockets;
using System.Text;
using Doris.Operator.Runtime;
using Doris.Testing;

namespace Doris.Operator.Tests;

/// <summary>The probe endpoint against the clients that really call it: .NET's HttpClient, Go's net/http (kubectl, as the kubelet and Prometheus are Go) and Python's urllib.</summary>
public sealed class ProbeServerTests
{
    private static ProbeServer Start() => ProbeServer.Start(IPAddress.Loopback, 0, path => path switch
    {
        "/healthz" => new ProbeServer.Response(200, "text/plain; charset=utf-8", "ok"),
        "/readyz" => new ProbeServer.Response(503, "text/plain; charset=utf-8", "watch on pods ended 90s ago\n"),
        "/metrics" => new ProbeServer.Response(200, "text/plain; version=0.0.4", "# TYPE dorisctl_up gauge\ndorisctl_up 1\n"),
        "/boom" => throw new InvalidOperationException("handler failed"),
        _ => null,
    });

    [Fact]
    public async Task HttpClient_EachPath_StatusBodyAndContentType()
    {
        await using var server = Start();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Endpoint.Port}") };

        var ok = await http.GetAsync("/healthz");
        var ready = await http.GetAsync("/readyz?verbose");
        var metrics = await http.GetAsync("/metrics");
        var missing = await http.GetAsync("/nope");
        var boom = await http.GetAsync("/boom");
        var post = await http.PostAsync("/healthz", new StringContent("x"));

        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ok.Content.ReadAsStringAsync()).ShouldBe("ok");
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync()).ShouldBe("watch on pods ended 90s ago\n");
        metrics.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4");
        (await metrics.Content.ReadAsStringAsync()).ShouldContain("dorisctl_up 1");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        boom.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await boom.Content.ReadAsStringAsync()).ShouldContain("handler failed");
        post.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task GoNetHttp_KubectlGetRaw_ReadsHealthAndMetrics()
    {
        await using var server = Start();
        var dir = Directory.CreateTempSubdirectory("probe-kubectl-").FullName;
        var kubeconfig = Path.Combine(dir, "kc");
        await File.WriteAllTextAsync(kubeconfig, $"apiVersion: v1\nkind: Config\nclusters: [{{name: p, cluster: {{server: 'http://127.0.0.1:{server.Endpoint.Port}'}}}}]\ncontexts: [{{name: p, context: {{cluster: p, user: u}}}}]\nusers: [{{name: u, user: {{}}}}]\ncurrent-context: p\n");

        var health = await Kubectl.RunAsync(kubeconfig, Path.Combine(dir, "cache"), "get", "--raw", "/healthz");
        var metrics = await Kubectl.RunAsync(kubeconfig, Path.Combine(dir, "cache"), "get", "--raw", "/metrics");
        var ready = await Kubectl.RunAsync(kubeconfig, Path.Combine(dir, "cache"), "get", "--raw", "/readyz");

        health.Code.ShouldBe(0, health.Error);
        health.Out.ShouldBe("ok");
        metrics.Out.ShouldContain("dorisctl_up 1");
        ready.Code.ShouldNotBe(0, "503 is a failure to Go's client, as to the kubelet");
        ready.Error.ShouldContain("ServiceUnavailable");
    }

    [Fact]
    public async Task PythonUrllib_Healthz_ReadsOk()
    {
        await using var server = Start();
        var (code, output, error) = await Tool.RunAsync(Python.Executable, ["-c", $"import urllib.request,sys; r=urllib.request.urlopen('http://127.0.0.1:{server.Endpoint.Port}/healthz', timeout=10); sys.stdout.write(str(r.status)+' '+r.read().decode())"]);

        code.ShouldBe(0, error);
        output.ShouldBe("200 ok");
    }

    // A client that sends an endless head, or nothing at all, gets an answer or a close; the server keeps serving.
    [Fact]
    public async Task HostileClients_OversizedHeadAndSilence_RefusedAndServerKeepsServing()
    {
        await using var server = Start();
        using (var big = new TcpClient())
        {
            await big.ConnectAsync(IPAddress.Loopback, server.Endpoint.Port);
            var stream = big.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nX: " + new string('a', ProbeServer.MaxHead) + "\r\n\r\n"));
            var reply = await new StreamReader(stream).ReadToEndAsync();
            reply.ShouldStartWith("HTTP/1.1 431 ");
        }

        var silent = new List<TcpClient>();
        for (var i = 0; i < 20; i++)
        {
            var c = new TcpClient();
            await c.ConnectAsync(IPAddress.Loopback, server.Endpoint.Port);
            silent.Add(c);
        }

        // More silent clients than the server serves at once: after its read timeout the health check still answers.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Endpoint.Port}"), Timeout = TimeSpan.FromSeconds(30) };
        (await http.GetStringAsync("/healthz")).ShouldBe("ok");
        silent.ForEach(c => c.Dispose());
    }
}
