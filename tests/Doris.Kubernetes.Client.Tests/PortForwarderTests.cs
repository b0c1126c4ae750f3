using System.Net.Sockets;
using System.Text;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Client.PortForwarding;
using Doris.Kubernetes.Emulator;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Kubernetes.Client.Tests;

/// <summary>
/// The in-process port-forward against the emulator's WebSocket endpoint, which Debian's python3-kubernetes
/// (the peer that speaks the same protocol to real clusters) is tested against in the emulator's tests.
/// </summary>
public sealed class PortForwarderTests : IAsyncLifetime
{
    private readonly EchoServer _echo = new();
    private EmulatorServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = TestNamespaces.All }, TimeProvider.System, default);
        _server.PortTargets = (ns, pod, port) => ns == "default" && pod == "fe-0" && port == 9030 ? _echo.EndPoint : null;
        _client = new KubernetesClient(KubeConfigLoader.Parse(_server.Kubeconfig(), "emulator.kubeconfig", null, TimeProvider.System));
        var pods = _client.For(ResourceDescriptor.Pods, KubernetesJsonContext.Default.Pod);
        await pods.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "fe-0", Namespace = "default" },
            Spec = new PodSpec { Containers = [new Container { Name = "fe", Image = "doris" }] },
        });
        await pods.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "pending-0", Namespace = "default" },
            Spec = new PodSpec { Containers = [new Container { Name = "fe", Image = "doris" }] },
        });
        await pods.PatchAsync("default", "fe-0", PatchType.Merge, """{"status":{"phase":"Running"}}""", status: true);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _echo.Dispose();
    }

    [Fact]
    public async Task PortForwarder_TwoConnectionsAtOnce_EachCarriesItsOwnBytes()
    {
        await using var forwarder = await PortForwarder.StartAsync(_client, "default", "fe-0", 9030, default);
        using var first = new TcpClient();
        using var second = new TcpClient();
        await first.ConnectAsync(forwarder.LocalEndPoint);
        await second.ConnectAsync(forwarder.LocalEndPoint);

        var a = RoundTripAsync(first, Encoding.ASCII.GetBytes(new string('a', 100_000)));
        var b = RoundTripAsync(second, Encoding.ASCII.GetBytes(new string('b', 70_000)));

        (await a).ShouldBe(new string('a', 100_000));
        (await b).ShouldBe(new string('b', 70_000));
        _echo.Accepted.ShouldBe(2, "one pod-side connection per local connection");
        forwarder.LastError.ShouldBeNull();
    }

    [Fact]
    public async Task PortForwarder_PodNotRunning_FailsAtStartNamingThePhase()
    {
        var e = await Should.ThrowAsync<IOException>(() => PortForwarder.StartAsync(_client, "default", "pending-0", 9030, default));

        e.Message.ShouldContain("default/pending-0:9030");
        e.Message.ShouldContain("is Pending, not Running");
    }

    [Fact]
    public async Task PortForwarder_MissingPod_FailsAtStartWithTheApiServersAnswer()
    {
        var e = await Should.ThrowAsync<IOException>(() => PortForwarder.StartAsync(_client, "default", "nope-0", 9030, default));

        e.Message.ShouldContain("nope-0");
        e.Message.ShouldContain("not found");
    }

    [Fact]
    public async Task PortForwarder_PortNothingListensOn_ClosesTheConnectionAndKeepsTheServersError()
    {
        await using var forwarder = await PortForwarder.StartAsync(_client, "default", "fe-0", 8030, default);
        using var local = new TcpClient();
        await local.ConnectAsync(forwarder.LocalEndPoint);
        var buffer = new byte[16];

        var read = await local.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        read.ShouldBe(0, "the connection ends: nothing to read from a port that is not open");
        forwarder.LastError.ShouldNotBeNull().ShouldContain("error forwarding port 8030 to pod fe-0");
    }

    private static async Task<string> RoundTripAsync(TcpClient client, byte[] payload)
    {
        var stream = client.GetStream();
        await stream.WriteAsync(payload);
        var received = new byte[payload.Length];
        await stream.ReadExactlyAsync(received).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        return Encoding.ASCII.GetString(received);
    }
}
