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

    // A pod no node can take never reaches a kubelet: deleting it must not wait for one.
    [Fact]
    public async Task KubectlDelete_PodThatNeverGotANode_IsGoneAtOnce()
    {
        var dir = Directory.CreateTempSubdirectory("sandbox-kubectl-").FullName;
        await using var env = await SandboxEnvironment.StartAsync(new SandboxOptions { Tick = TimeSpan.FromMilliseconds(100) }, default);
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, env.Server.Kubeconfig());
        using var stop = new CancellationTokenSource();
        var simulation = env.RunClusterAsync(stop.Token);
        await using var op = env.StartOperator();
        var (cluster, maps) = Scenario.Example("minimal");
        await env.ApplyAsync(cluster with { Spec = cluster.Spec! with { FeSpec = cluster.Spec.FeSpec! with { Requests = new Dictionary<string, Kubernetes.Models.Quantity> { ["cpu"] = "500", ["memory"] = "1Gi" } } } }, maps);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        (int Code, string Out, string Error) pending;
        do
        {
            await Task.Delay(250);
            pending = await Kubectl(kubeconfig, dir, "get", "pod", "doris-fe-0", "-o", "jsonpath={.status.phase}|{.spec.nodeName}");
        }
        while (pending.Code != 0 && DateTime.UtcNow < deadline);
        pending.Out.ShouldBe("Pending|", "no node fits 500 CPUs");

        var deleted = await Kubectl(kubeconfig, dir, "delete", "pod", "doris-fe-0", "--timeout=15s");

        deleted.Code.ShouldBe(0, deleted.Error);
        deleted.Out.ShouldContain("pod \"doris-fe-0\" deleted");
        await stop.CancelAsync();
        await simulation;
    }

    private static Task<(int Code, string Out, string Error)> Kubectl(string kubeconfig, string dir, params string[] args) =>
        Testing.Kubectl.RunAsync(kubeconfig, Path.Combine(dir, "cache"), args);
}
