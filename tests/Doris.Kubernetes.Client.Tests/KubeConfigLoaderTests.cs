using Doris.Kubernetes.Client.Auth;
using Doris.Kubernetes.Client.Config;
using Doris.Testing;

namespace Doris.Kubernetes.Client.Tests;

public sealed class KubeConfigLoaderTests
{
    private static readonly ManualTimeProvider Time = new(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));
    private static readonly TestPki Pki = new();

    private static string Config(string user, string cluster = "server: https://127.0.0.1:6443", string context = "namespace: doris") => $"""
        apiVersion: v1
        kind: Config
        current-context: main
        clusters:
        - name: local
          cluster:
            {cluster}
        users:
        - name: admin
          user:
            {user}
        contexts:
        - name: main
          context:
            cluster: local
            user: admin
            {context}
        - name: other
          context:
            cluster: local
            user: admin

        """;

    [Fact]
    public async Task Parse_TokenUser_GivesServerNamespaceAndBearerToken()
    {
        var connection = KubeConfigLoader.Parse(Config("token: abc123"), "kc", null, Time);

        connection.Server.ShouldBe(new Uri("https://127.0.0.1:6443"));
        connection.Namespace.ShouldBe("doris");
        connection.ContextName.ShouldBe("main");
        connection.InsecureSkipTlsVerify.ShouldBeFalse();
        (await connection.Credentials!.GetAsync(false, default)).Token.ShouldBe("abc123");
    }

    [Fact]
    public void Parse_ContextOverride_UsesThatContextAndItsDefaultNamespace() =>
        KubeConfigLoader.Parse(Config("token: t"), "kc", "other", Time).Namespace.ShouldBe("default");

    [Theory]
    [InlineData("nope", "has no context 'nope' (available: main, other); pass --context")]
    public void Parse_UnknownContext_ListsTheAvailableOnes(string context, string message) =>
        Should.Throw<KubeConfigException>(() => KubeConfigLoader.Parse(Config("token: t"), "kc", context, Time)).Message.ShouldContain(message);

    [Fact]
    public void Parse_NoCurrentContext_AsksForOne() =>
        Should.Throw<KubeConfigException>(() => KubeConfigLoader.Parse(Config("token: t").Replace("current-context: main\n", string.Empty, StringComparison.Ordinal), "kc", null, Time))
            .Message.ShouldContain("has no current-context; pass --context (available: main, other)");

    [Theory]
    [InlineData("server: ftp://x", "is not an http(s) URL")]
    [InlineData("server: https://x\n    certificate-authority-data: not-base64!", "is not base64")]
    [InlineData("server: https://x\n    certificate-authority: /no/such/ca.pem", "cannot read '/no/such/ca.pem'")]
    [InlineData("server: https://x\n    tls-server-name: https://api.example.com", "tls-server-name 'https://api.example.com', which is not a host name or IP address; set clusters[].cluster.tls-server-name")]
    [InlineData("server: https://x\n    tls-server-name: api.example.com:443", "tls-server-name 'api.example.com:443', which is not a host name")]
    [InlineData("server: https://x\n    tls-server-name: \"*.example.com\"", "tls-server-name '*.example.com', which is not a host name")]
    [InlineData("server: https://x\n    tls-server-name: a..b", "tls-server-name 'a..b', which is not a host name")]
    [InlineData("server: https://x\n    tls-server-name: \" api.example.com\"", "tls-server-name ' api.example.com', which is not a host name")]
    public void Parse_BadCluster_SaysWhatToFix(string cluster, string message) =>
        Should.Throw<KubeConfigException>(() => KubeConfigLoader.Parse(Config("token: t", cluster), "kc", null, Time)).Message.ShouldContain(message);

    [Fact]
    public void Parse_TlsServerName_LongerThanADnsName_IsRefused() =>
        Should.Throw<KubeConfigException>(() => KubeConfigLoader.Parse(Config("token: t", "server: https://x\n    tls-server-name: " + new string('a', 5000)), "kc", null, Time))
            .Message.ShouldContain("which is not a host name or IP address");

    [Theory]
    [InlineData("kubernetes.default.svc")]
    [InlineData("10.100.0.1")]
    [InlineData("[fd00::1]")]
    public void Parse_TlsServerName_HostOrAddress_IsKept(string name) =>
        KubeConfigLoader.Parse(Config("token: t", "server: https://x\n    tls-server-name: \"" + name + "\""), "kc", null, Time).TlsServerName.ShouldBe(name);

    [Theory]
    [InlineData("client-certificate: /tmp/c.pem", "certificate without a key")]
    [InlineData("auth-provider: {name: gcp}", "auth-provider plugin")]
    public void Parse_BadUser_SaysWhatToFix(string user, string message) =>
        Should.Throw<KubeConfigException>(() => KubeConfigLoader.Parse(Config(user), "kc", null, Time)).Message.ShouldContain(message);

    [Fact]
    public void Parse_NotYaml_NamesTheFileAndLine() =>
        Should.Throw<KubeConfigException>(() => KubeConfigLoader.Parse("clusters: [", "/home/u/.kube/config", null, Time)).Message.ShouldContain("/home/u/.kube/config:");

    [Fact]
    public void Parse_CertificateAuthorityAndClientCertificateAsData_AreLoaded()
    {
        var cluster = $"server: https://x\n    certificate-authority-data: {TestPki.Base64(Pki.CaPem)}";
        var user = $"client-certificate-data: {TestPki.Base64(Pki.ClientCertPem)}\n    client-key-data: {TestPki.Base64(Pki.ClientKeyPem)}";

        var connection = KubeConfigLoader.Parse(Config(user, cluster), "kc", null, Time);

        connection.TrustedCertificateAuthorities.ShouldHaveSingleItem().Subject.ShouldBe("CN=doris-test-ca");
        connection.ClientCertificate!.HasPrivateKey.ShouldBeTrue();
        connection.ClientCertificate.Subject.ShouldContain("CN=doris-operator");
        connection.Credentials.ShouldBeNull();
    }

    [Fact]
    public void Load_CertificateFilesRelativeToTheKubeconfig_AreFound()
    {
        var dir = Directory.CreateTempSubdirectory("kc-").FullName;
        File.WriteAllText(Path.Combine(dir, "ca.pem"), Pki.CaPem);
        File.WriteAllText(Path.Combine(dir, "client.pem"), Pki.ClientCertPem);
        File.WriteAllText(Path.Combine(dir, "client-key.pem"), Pki.ClientKeyPem);
        File.WriteAllText(Path.Combine(dir, "config"), Config("client-certificate: client.pem\n    client-key: client-key.pem", "server: https://x\n    certificate-authority: ca.pem"));

        var connection = KubeConfigLoader.Load(Path.Combine(dir, "config"), null, Time);

        connection.TrustedCertificateAuthorities.Count.ShouldBe(1);
        connection.ClientCertificate!.HasPrivateKey.ShouldBeTrue();
    }

    [Fact]
    public void Load_MissingFile_SaysHowToPointAtOne() =>
        Should.Throw<KubeConfigException>(() => KubeConfigLoader.Load("/no/such/kubeconfig", null, Time)).Message.ShouldContain("pass --kubeconfig or set KUBECONFIG");

    [Theory]
    [InlineData("/explicit", "/a:/b", "/explicit")]
    [InlineData(null, "/a:/b", "/a")]
    [InlineData(null, null, "/home/u/.kube/config")]
    public void Locate_ExplicitThenVariableThenHome(string? explicitPath, string? variable, string expected) =>
        KubeConfigLoader.Locate(explicitPath, variable, "/home/u").ShouldBe(expected);

    [Fact]
    public async Task TokenFile_RotatedToken_IsPickedUpAfterAMinuteOrAfterA401()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "first\n");
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var source = new TokenFileSource(file, time);

        (await source.GetAsync(false, default)).Token.ShouldBe("first");
        await File.WriteAllTextAsync(file, "second");
        (await source.GetAsync(false, default)).Token.ShouldBe("first", "read at most once a minute");
        (await source.GetAsync(true, default)).Token.ShouldBe("second", "a 401 forces a re-read");
        await File.WriteAllTextAsync(file, "third");
        time.Advance(TokenFileSource.RereadInterval);
        (await source.GetAsync(false, default)).Token.ShouldBe("third");
    }

    [Fact]
    public void Credential_ToString_NeverShowsTheToken() =>
        new Credential("super-secret", null, null).ToString().ShouldNotContain("super-secret");
}
