using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Sandbox.Tests;

/// <summary>
/// A TLS-only FE, configured as upstream users configure it (fe.conf <c>enable_tls</c> and the <c>tls_*</c> paths,
/// the files in a Secret mounted with <c>feSpec.secrets</c>): the operator reaches it over mutual TLS and a BE
/// scale-in completes; a plain client is refused.
/// </summary>
public sealed class TlsScenarioTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task TlsOnlyFrontend_BeScaleIn_CompletesOverMutualTls()
    {
        await using var s = await Scenario.StartAsync();
        s.StartOperator();
        var certificates = TestCertificates.Create("doris-fe-service.default.svc.cluster.local");
        await s.Env.EnsureNamespaceAsync("default");
        await s.Env.Client.For(ResourceDescriptor.Secrets, KubernetesJsonContext.Default.Secret).CreateAsync(new Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new ObjectMeta { Name = "fe-tls", Namespace = "default" },
            StringData = new Dictionary<string, string> { ["ca.pem"] = certificates.CaPem, ["fe.pem"] = certificates.ServerPem, ["fe.key"] = certificates.ServerKeyPem },
        });
        var feConf = new ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new ObjectMeta { Name = "fe-conf", Namespace = "default" },
            Data = new Dictionary<string, string> { ["fe.conf"] = "enable_tls = true\ntls_ca_certificate_path = /etc/doris-tls/ca.pem\ntls_certificate_path = /etc/doris-tls/fe.pem\ntls_private_key_path = /etc/doris-tls/fe.key\n" },
        };
        var (cluster, _) = Scenario.Example("minimal");
        var spec = cluster.Spec! with
        {
            FeSpec = cluster.Spec.FeSpec! with { ConfigMapInfo = new ConfigMapInfo { ConfigMapName = "fe-conf", ResolveKey = "fe.conf" }, Secrets = [new SecretMount { SecretName = "fe-tls", MountPath = "/etc/doris-tls" }] },
            BeSpec = cluster.Spec.BeSpec! with { Replicas = 4 },
        };
        await s.Env.ApplyAsync(cluster with { Spec = spec }, [feConf]);
        await s.RunUntilAsync(() => s.IsReadyAsync("doris"), Limit, "Ready");
        var doris = s.Env.Cluster.Doris.Model("default", "doris");
        doris.SeedTablets(30);

        await s.Env.Clusters.PatchAsync("default", "doris", PatchType.Merge, """{"spec":{"beSpec":{"replicas":3}}}""");
        await s.RunUntilAsync(async () => s.Pods("default", "app.kubernetes.io/component=be").Count == 3 && await s.IsReadyAsync("doris"), Limit, "BE scaled in over TLS");

        doris.Statements.ShouldContain(x => x.StartsWith("ALTER SYSTEM DECOMMISSION BACKEND", StringComparison.Ordinal));
        doris.LostTablets().ShouldBe(0);
        var port = s.Env.Cluster.Doris.FrontendPort("default", "doris");
        var plain = await Tool.RunAsync("mariadb", ["-h127.0.0.1", $"-P{port}", "-uroot", "--skip-ssl", "-e", "SHOW FRONTENDS"], TimeSpan.FromSeconds(30));
        plain.Code.ShouldNotBe(0);
        plain.Error.ShouldContain("insecure transport are prohibited");
    }
}
