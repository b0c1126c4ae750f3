using System.Security.Cryptography.X509Certificates;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Client.Http;
using Shouldly;
using Xunit;

namespace Doris.Kubernetes.Client.Tests;

public sealed class TlsWarmupTests
{
    private static readonly TestPki Pki = new();

    private static ClusterConnection Connection(string server, bool withAuthority, bool insecure = false)
    {
        var authorities = new X509Certificate2Collection();
        if (withAuthority)
        {
            authorities.Add(X509Certificate2.CreateFromPem(Pki.CaPem));
        }

        return new ClusterConnection(new Uri(server), authorities, insecure, null, null, null, "default", "test");
    }

    [Fact]
    public async Task Start_VerifiedHttpsWithKubeconfigAuthority_BuildsTheChainOffThread()
    {
        var warmed = await TlsWarmup.Start(Connection("https://127.0.0.1:6443", withAuthority: true)).WaitAsync(TimeSpan.FromSeconds(60));

        warmed.ShouldBeTrue();
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", true, false)]
    [InlineData("https://127.0.0.1:6443", true, true)]
    [InlineData("https://127.0.0.1:6443", false, false)]
    public async Task Start_PlainHttpSkipVerifyOrMachineTrust_DoesNothing(string server, bool withAuthority, bool insecure)
    {
        var task = TlsWarmup.Start(Connection(server, withAuthority, insecure));

        task.IsCompletedSuccessfully.ShouldBeTrue("nothing to warm: no thread is started");
        (await task).ShouldBeFalse();
    }
}
