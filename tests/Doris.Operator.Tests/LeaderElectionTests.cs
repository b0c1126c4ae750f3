using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Emulator;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Runtime;

namespace Doris.Operator.Tests;

/// <summary>Two operator replicas electing a leader through a Lease on the emulator, over HTTPS.</summary>
public sealed class LeaderElectionTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private KubernetesClient _client = null!;

    private ResourceClient<Lease> Leases => _client.For(ResourceDescriptor.Leases, KubernetesJsonContext.Default.Lease);

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All }, TimeProvider.System, default);
        _client = new KubernetesClient(KubeConfigLoader.Parse(_server.Kubeconfig(), "kc", null, TimeProvider.System));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private LeaderElector Elector(string identity) => new(Leases, new LeaderElectionOptions("doris-system", "dorisctl-operator", identity)
    {
        // Short enough for a quick test, long enough that a loaded CI machine still renews in time.
        LeaseDuration = TimeSpan.FromSeconds(4),
        RenewDeadline = TimeSpan.FromSeconds(3),
        RetryPeriod = TimeSpan.FromMilliseconds(250),
    }, TimeProvider.System);

    [Fact]
    public async Task TwoCandidates_OnlyOneLeads_AndTheOtherTakesOverWhenItStepsDown()
    {
        var a = Elector("replica-a");
        var b = Elector("replica-b");
        var leading = 0;
        var maxLeading = 0;
        var led = new List<string>();
        async Task Lead(string who, CancellationToken ct)
        {
            lock (led)
            {
                leading++;
                maxLeading = Math.Max(maxLeading, leading);
                led.Add(who);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                lock (led)
                {
                    leading--;
                }
            }
        }

        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync(ct => Lead("a", ct), stopA.Token);
        await Task.Delay(500);
        var runB = b.RunAsync(ct => Lead("b", ct), stopB.Token);
        await Task.Delay(1000);

        a.IsLeader.ShouldBeTrue();
        b.IsLeader.ShouldBeFalse("the lease is held and renewed by a");
        await stopA.CancelAsync();
        await runA;
        var deadline = DateTime.UtcNow.AddSeconds(6);
        while (!b.IsLeader && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        b.IsLeader.ShouldBeTrue("a released the lease on shutdown");
        maxLeading.ShouldBe(1);
        led.ShouldBe(["a", "b"]);
        var lease = await Leases.GetAsync("doris-system", "dorisctl-operator");
        lease.Spec!.HolderIdentity.ShouldBe("replica-b");
        lease.Spec.LeaseTransitions.ShouldBe(1);
        await stopB.CancelAsync();
        await runB;
    }

    [Fact]
    public async Task CrashedLeader_IsReplacedOnlyAfterItsLeaseExpires()
    {
        (await Elector("crashed").TryAcquireOrRenewAsync(default)).ShouldBeTrue();
        var lastRenewal = (await Leases.GetAsync("doris-system", "dorisctl-operator")).Spec!.RenewTime!.Value;
        var b = Elector("replica-b");
        using var stop = new CancellationTokenSource();
        var elected = new TaskCompletionSource<DateTimeOffset>();

        var run = b.RunAsync(ct => { elected.TrySetResult(DateTimeOffset.UtcNow); return Task.Delay(Timeout.Infinite, ct); }, stop.Token);
        var at = await elected.Task.WaitAsync(TimeSpan.FromSeconds(20));

        (at - lastRenewal).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(4), "not before the crashed leader's 4 s lease ran out");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task ApiErrors_AreNotLeadership()
    {
        _server.Faults.FailNext("*", 100, 500);

        (await Elector("x").TryAcquireOrRenewAsync(default)).ShouldBeFalse();
    }

    // A candidate that never hears from the API server says so (the operator's /readyz repeats it); one that hears
    // "the lease is held" or a conflict has an answer and says nothing.
    [Fact]
    public async Task Round_NoAnswerOrServerError_Unreachable_AnAnswerClearsIt()
    {
        var a = Elector("replica-a");
        var changes = new List<string?>();
        a.UnreachableChanged += changes.Add;
        _server.Faults.FailNext("*", 100, 500); // more than the client's own retries
        (await a.TryAcquireOrRenewAsync(default)).ShouldBeFalse();
        (await a.TryAcquireOrRenewAsync(default)).ShouldBeFalse();
        a.Unreachable.ShouldNotBeNull();
        changes.Count.ShouldBe(1, "said once when rounds stop reaching the API server, not once per round");
        changes[0].ShouldBe(a.Unreachable);
        _server.Faults.FailNext("*", 0, 500);

        (await a.TryAcquireOrRenewAsync(default)).ShouldBeTrue();
        a.Unreachable.ShouldBeNull();
        changes.ShouldBe([changes[0], null]);

        var b = Elector("replica-b");
        (await b.TryAcquireOrRenewAsync(default)).ShouldBeFalse("held by replica-a");
        b.Unreachable.ShouldBeNull();

        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now
        var kubeconfig = _server.Kubeconfig().Replace($":{_server.Address.Port}", $":{port}", StringComparison.Ordinal);
        using var nowhere = new KubernetesClient(KubeConfigLoader.Parse(kubeconfig, "kc", null, TimeProvider.System));
        var c = new LeaderElector(nowhere.For(ResourceDescriptor.Leases, KubernetesJsonContext.Default.Lease), new LeaderElectionOptions("doris-system", "dorisctl-operator", "replica-c"), TimeProvider.System);
        (await c.TryAcquireOrRenewAsync(default)).ShouldBeFalse();
        c.Unreachable.ShouldNotBeNull().ShouldContain("cannot reach the API server");
    }

    // A refusal is an answer that will not change by itself: the candidate says why and what to fix, once (the event
    // fires on a change, not every round), and a round that goes through clears it.
    [Fact]
    public async Task Round_LeaseNamespaceMissing_RefusedNamesNamespaceAndFix_UntilItExists()
    {
        var changes = new List<string?>();
        var a = new LeaderElector(Leases, new LeaderElectionOptions("no-such-namespace", "dorisctl-operator", "replica-a"), TimeProvider.System);
        a.RefusedChanged += changes.Add;

        (await a.TryAcquireOrRenewAsync(default)).ShouldBeFalse();
        (await a.TryAcquireOrRenewAsync(default)).ShouldBeFalse();

        a.Refused.ShouldNotBeNull();
        a.Refused.ShouldContain("namespace no-such-namespace does not exist");
        a.Refused.ShouldContain("--lease-namespace");
        a.Unreachable.ShouldBeNull("the API server answered");
        changes.Count.ShouldBe(1, "said once, not once per round");

        await _client.For(ResourceDescriptor.Namespaces, KubernetesJsonContext.Default.Namespace).CreateAsync(
            new Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new ObjectMeta { Name = "no-such-namespace" } });
        (await a.TryAcquireOrRenewAsync(default)).ShouldBeTrue();
        a.Refused.ShouldBeNull();
        changes.ShouldBe([changes[0], null]);
    }

    [Fact]
    public async Task Round_Forbidden_RefusedNamesTheRbacToGrant()
    {
        var a = Elector("replica-a");
        _server.Faults.FailNext("*", 100, 403);

        (await a.TryAcquireOrRenewAsync(default)).ShouldBeFalse();

        a.Refused.ShouldNotBeNull().ShouldContain("forbidden");
        a.Refused.ShouldContain("grant get, create and update on leases (coordination.k8s.io) in namespace doris-system");
        a.Unreachable.ShouldBeNull();
    }

    [Fact]
    public async Task Round_Throttled_NotRefusedButUnanswered()
    {
        var a = Elector("replica-a");
        _server.Faults.FailNext("*", 100, 429);

        (await a.TryAcquireOrRenewAsync(default)).ShouldBeFalse();

        a.Refused.ShouldBeNull("throttling passes by itself");
        a.Unreachable.ShouldNotBeNull();
    }

    [Fact]
    public async Task Round_LeaseHeldByAnother_NotRefused()
    {
        (await Elector("replica-a").TryAcquireOrRenewAsync(default)).ShouldBeTrue();
        var b = Elector("replica-b");

        (await b.TryAcquireOrRenewAsync(default)).ShouldBeFalse();

        b.Refused.ShouldBeNull("a follower behind a held lease is healthy");
    }
}
