using Doris.Kubernetes.Client.Config;
using Doris.Testing;

namespace Doris.Kubernetes.Client.Tests;

public sealed class InClusterConfigTests
{
    private static string ServiceAccountDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("sa-").FullName;
        File.WriteAllText(Path.Combine(dir, "token"), "sa-token");
        File.WriteAllText(Path.Combine(dir, "ca.crt"), new TestPki().CaPem);
        File.WriteAllText(Path.Combine(dir, "namespace"), "doris-system\n");
        return dir;
    }

    [Theory]
    [InlineData("10.100.0.1", "https://10.100.0.1:443/")]
    [InlineData("fd00::1", "https://[fd00::1]:443/")]
    public async Task Load_InAPod_UsesServiceEnvironmentCaTokenAndNamespace(string host, string url)
    {
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = host, ["KUBERNETES_SERVICE_PORT"] = "443" };

        var connection = InClusterConfig.Load(env.GetValueOrDefault, TimeProvider.System, ServiceAccountDirectory());

        connection.Server.ShouldBe(new Uri(url));
        connection.Namespace.ShouldBe("doris-system");
        connection.TrustedCertificateAuthorities.Count.ShouldBe(1);
        (await connection.Credentials!.GetAsync(false, default)).Token.ShouldBe("sa-token");
    }

    [Fact]
    public void Load_OutsideAPod_SaysToUseAKubeconfig() =>
        Should.Throw<KubeConfigException>(() => InClusterConfig.Load(_ => null, TimeProvider.System, ServiceAccountDirectory())).Message.ShouldContain("pass --kubeconfig");

    [Fact]
    public void Load_NoTokenMounted_SaysHowToMountIt()
    {
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" };

        Should.Throw<KubeConfigException>(() => InClusterConfig.Load(env.GetValueOrDefault, TimeProvider.System, Directory.CreateTempSubdirectory().FullName))
            .Message.ShouldContain("automountServiceAccountToken");
    }
}
