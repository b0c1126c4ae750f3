namespace Doris.Sandbox.Tests;

/// <summary>The real kubectl against a live sandbox (system clock, HTTPS): what a user does after <c>dorisctl sandbox</c>.</summary>
public sealed class KubectlSandboxTests
{
    [Fact]
    public async Task Kubectl_AgainstARunningSandbox_ListsTheClusterAndWaitsForReady()
    {
        var dir = Directory.CreateTempSubdirectory("sandbox-kubectl-").FullName;
        await using var env = await SandboxEnvironment.StartAsync(new SandboxOptions { Tick = TimeSpan.FromMilliseconds(100) }, default);
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, env.Server.Kubeconfig());
        using var stop = new CancellationTokenSource();
        var simulation = env.RunClusterAsync(stop.Token);
        await using var op = env.StartOperator();
        var (cluster, maps) = Scenario.Example("production", "doris");
        await env.Client.For(Kubernetes.Client.ResourceDescriptor.Namespaces, Kubernetes.Serialization.KubernetesJsonContext.Default.Namespace).CreateAsync(new Kubernetes.Models.Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new Kubernetes.Models.ObjectMeta { Name = "doris" } });
        await env.Client.For(Kubernetes.Client.ResourceDescriptor.Secrets, Kubernetes.Serialization.KubernetesJsonContext.Default.Secret).CreateAsync(new Kubernetes.Models.Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new Kubernetes.Models.ObjectMeta { Name = "doris-auth", Namespace = "doris" }, StringData = new Dictionary<string, string> { ["username"] = "root", ["password"] = "sandbox" } });
        await env.ApplyAsync(cluster, maps);

        var wait = await Kubectl(kubeconfig, dir, "wait", "--for=condition=Ready", "dcr/doris-prod", "-n", "doris", "--timeout=60s");
        wait.Code.ShouldBe(0, wait.Error);
        var list = await Kubectl(kubeconfig, dir, "get", "dcr,sts,pods", "-A");
        list.Code.ShouldBe(0, list.Error);
        list.Out.ShouldContain("doris-prod");
        list.Out.ShouldContain("doris-prod-be-2");
        list.Out.ShouldContain("doris-prod-cn");

        await stop.CancelAsync();
        await simulation;
    }

    private static Task<(int Code, string Out, string Error)> Kubectl(string kubeconfig, string dir, params string[] args) =>
        Testing.Kubectl.RunAsync(kubeconfig, Path.Combine(dir, "cache"), args);
}
