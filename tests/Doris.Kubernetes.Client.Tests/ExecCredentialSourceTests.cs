using Doris.Kubernetes.Client.Auth;
using Doris.Kubernetes.Client.Config;
using Doris.Testing;

namespace Doris.Kubernetes.Client.Tests;

/// <summary>Drives a real credential plugin: a shell script the test writes, run as a separate process.</summary>
public sealed class ExecCredentialSourceTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("exec-").FullName;

    private string Plugin(string apiVersion, string? expires, string extra = "")
    {
        var path = Path.Combine(_dir, "plugin.sh");
        var expiry = expires is null ? string.Empty : $",\"expirationTimestamp\":\"{expires}\"";
        var output = "echo '{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"token-'$n'\"" + expiry + "}}'";
        File.WriteAllText(path, $$"""
            #!/bin/bash
            n=$(( $(cat "{{_dir}}/runs" 2>/dev/null || echo 0) + 1 ))
            echo $n > "{{_dir}}/runs"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "{{_dir}}/info.json"
            printf '%s' "$PLUGIN_GREETING" > "{{_dir}}/env.txt"
            {{extra}}
            {{output}}
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    private static ExecConfig Config(string command, string apiVersion = "client.authentication.k8s.io/v1") => new()
    {
        ApiVersion = apiVersion,
        Command = command,
        Args = ["eks", "get-token"],
        Env = [new ExecEnvVar("PLUGIN_GREETING", "hello")],
        InteractiveMode = "Never",
        ProvideClusterInfo = true,
    };

    [Theory]
    [InlineData("client.authentication.k8s.io/v1")]
    [InlineData("client.authentication.k8s.io/v1beta1")]
    public async Task Get_RunsThePluginWithExecInfoAndEnvironment(string apiVersion)
    {
        var source = new ExecCredentialSource(Config(Plugin(apiVersion, null), apiVersion), new ExecCluster { Server = "https://eks.example" }, new ManualTimeProvider(DateTimeOffset.UnixEpoch));

        var credential = await source.GetAsync(false, default);

        credential.Token.ShouldBe("token-1");
        var info = await File.ReadAllTextAsync(Path.Combine(_dir, "info.json"));
        info.ShouldContain($"\"apiVersion\":\"{apiVersion}\"");
        info.ShouldContain("\"interactive\":false");
        info.ShouldContain("\"server\":\"https://eks.example\"");
        (await File.ReadAllTextAsync(Path.Combine(_dir, "env.txt"))).ShouldBe("hello");
    }

    [Fact]
    public async Task Get_CachesUntilShortlyBeforeExpiryThenRunsAgain()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        var source = new ExecCredentialSource(Config(Plugin("client.authentication.k8s.io/v1", "2026-11-22T10:15:00Z")), null, time);

        (await source.GetAsync(false, default)).Token.ShouldBe("token-1");
        time.Advance(TimeSpan.FromMinutes(14));
        (await source.GetAsync(false, default)).Token.ShouldBe("token-1", "still valid for a minute");
        time.Advance(TimeSpan.FromSeconds(40));
        (await source.GetAsync(false, default)).Token.ShouldBe("token-2", "inside the expiry skew");
        source.Runs.ShouldBe(2);
    }

    [Fact]
    public async Task Get_AfterA401_RunsThePluginAgainEvenWithoutExpiry()
    {
        var source = new ExecCredentialSource(Config(Plugin("client.authentication.k8s.io/v1", null)), null, new ManualTimeProvider(DateTimeOffset.UnixEpoch));

        (await source.GetAsync(false, default)).Token.ShouldBe("token-1");
        (await source.GetAsync(false, default)).Token.ShouldBe("token-1");
        (await source.GetAsync(true, default)).Token.ShouldBe("token-2");
    }

    [Fact]
    public async Task Get_FailingPlugin_ReportsExitCodeAndStderr()
    {
        var source = new ExecCredentialSource(Config(Plugin("client.authentication.k8s.io/v1", null, "echo 'ExpiredToken: the SSO session has expired' >&2; exit 255")), null, TimeProvider.System);

        var e = await Should.ThrowAsync<KubeConfigException>(async () => await source.GetAsync(false, default));

        e.Message.ShouldContain("exit code 255");
        e.Message.ShouldContain("SSO session has expired");
    }

    [Fact]
    public async Task Get_WrongApiVersion_SaysToAlignThem()
    {
        var source = new ExecCredentialSource(Config(Plugin("client.authentication.k8s.io/v1beta1", null)), null, TimeProvider.System);

        (await Should.ThrowAsync<KubeConfigException>(async () => await source.GetAsync(false, default))).Message.ShouldContain("align users[].user.exec.apiVersion");
    }

    [Fact]
    public async Task Get_PluginNotInstalled_ShowsTheInstallHint()
    {
        var source = new ExecCredentialSource(Config("/no/such/aws") with { InstallHint = "Install the AWS CLI v2" }, null, TimeProvider.System);

        (await Should.ThrowAsync<KubeConfigException>(async () => await source.GetAsync(false, default))).Message.ShouldContain("Install the AWS CLI v2");
    }

    [Fact]
    public async Task Get_PluginPrintsGarbage_DoesNotEchoIt()
    {
        var source = new ExecCredentialSource(Config(Plugin("client.authentication.k8s.io/v1", null, "echo 'secret-ish output'; exit 0")), null, TimeProvider.System);

        var e = await Should.ThrowAsync<KubeConfigException>(async () => await source.GetAsync(false, default));

        e.Message.ShouldContain("not an ExecCredential");
        e.Message.ShouldNotContain("secret-ish");
    }

    [Fact]
    public async Task Get_InteractiveOnlyPlugin_IsRefused() =>
        (await Should.ThrowAsync<KubeConfigException>(async () => await new ExecCredentialSource(Config("/bin/true") with { InteractiveMode = "Always" }, null, TimeProvider.System).GetAsync(false, default)))
            .Message.ShouldContain("interactive terminal");

    [Fact]
    public async Task Kubeconfig_WithExecUser_UsesThePlugin()
    {
        var plugin = Plugin("client.authentication.k8s.io/v1beta1", null);
        var kubeconfig = $"current-context: c\nclusters: [{{name: k, cluster: {{server: 'https://x'}}}}]\nusers: [{{name: u, user: {{exec: {{apiVersion: client.authentication.k8s.io/v1beta1, command: '{plugin}', interactiveMode: Never}}}}}}]\ncontexts: [{{name: c, context: {{cluster: k, user: u}}}}]\n";

        var connection = KubeConfigLoader.Parse(kubeconfig, "kc", null, TimeProvider.System);

        (await connection.Credentials!.GetAsync(false, default)).Token.ShouldBe("token-1");
    }
}
