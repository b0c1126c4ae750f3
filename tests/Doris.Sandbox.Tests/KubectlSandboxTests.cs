using System.Diagnostics;

namespace Doris.Sandbox.Tests;

/// <summary>The real kubectl against a live sandbox (system clock, HTTPS): what a user does after <c>dorisctl sandbox</c>.</summary>
public sealed class KubectlSandboxTests
{
    [Fact]
    public async Task Kubectl_AgainstARunningSandbox_ListsTheClusterAndWaitsForReady()
    {
        await using var live = await LiveSandbox.StartAsync();
        var (env, dir, kubeconfig) = (live.Env, live.Dir, live.Kubeconfig);
        await ApplyProductionAsync(env);

        var wait = await Kubectl(kubeconfig, dir, "wait", "--for=condition=Ready", "dcr/doris-prod", "-n", "doris", "--timeout=60s");
        wait.Code.ShouldBe(0, wait.Error);
        var list = await Kubectl(kubeconfig, dir, "get", "dcr,sts,pods", "-A");
        list.Code.ShouldBe(0, list.Error);
        list.Out.ShouldContain("doris-prod");
        list.Out.ShouldContain("doris-prod-be-2");
        list.Out.ShouldContain("doris-prod-cn");
        var feLog = await Kubectl(kubeconfig, dir, "logs", "doris-prod-fe-0", "-n", "doris");
        var beLog = await Kubectl(kubeconfig, dir, "logs", "doris-prod-be-1", "-n", "doris", "--tail=2");
        feLog.Code.ShouldBe(0, feLog.Error);
        feLog.Out.ShouldContain("simulated container fe started from apache/doris:fe-");
        feLog.Out.ShouldContain("entrypoint: started as the master FE");
        beLog.Out.ShouldContain("entrypoint: registered with the FE as a backend (doris-prod-be-1.");
    }

    // A pod no node can take never reaches a kubelet: deleting it must not wait for one.
    [Fact]
    public async Task KubectlDelete_PodThatNeverGotANode_IsGoneAtOnce()
    {
        await using var live = await LiveSandbox.StartAsync();
        var (env, dir, kubeconfig) = (live.Env, live.Dir, live.Kubeconfig);
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
    }

    // kubectl port-forward reaches the simulated FE's MySQL port, so the mariadb client talks to it; a port nothing
    // listens on is reported on the error stream, as kubelet reports a refused connection.
    [Fact]
    public async Task KubectlPortForward_FeQueryPort_MariaDbClientQueriesTheSimulatedFe()
    {
        await using var live = await LiveSandbox.StartAsync();
        var (env, dir, kubeconfig) = (live.Env, live.Dir, live.Kubeconfig);
        var (cluster, maps) = Scenario.Example("minimal");
        await env.ApplyAsync(cluster, maps);
        (await Kubectl(kubeconfig, dir, "wait", "--for=condition=Ready", "dcr/doris", "--timeout=60s")).Code.ShouldBe(0);
        var (query, http) = (FreePort(), FreePort());
        var forward = Process.Start(new ProcessStartInfo("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(dir, "cache"), "port-forward", "pod/doris-fe-0", $"{query}:9030", $"{http}:8030"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            var stderr = forward.StandardError.ReadToEndAsync();
            (await forward.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? string.Empty).ShouldContain($"Forwarding from 127.0.0.1:{query} -> 9030");

            var frontends = await Testing.Tool.RunAsync("mariadb", ["-h127.0.0.1", $"-P{query}", "-uroot", "--skip-ssl", "-N", "-e", "SHOW FRONTENDS"], TimeSpan.FromSeconds(30));
            var refused = await Testing.Tool.RunAsync("mariadb", ["-h127.0.0.1", $"-P{http}", "-uroot", "--skip-ssl", "-e", "SELECT 1"], TimeSpan.FromSeconds(30));

            frontends.Code.ShouldBe(0, frontends.Error);
            frontends.Out.ShouldContain("doris-fe-0.doris-fe-internal.default.svc.cluster.local");
            frontends.Out.ShouldContain("FOLLOWER");
            refused.Code.ShouldNotBe(0);
            await forward.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            (await stderr).ShouldContain("an error occurred forwarding " + http + " -> 8030: error forwarding port 8030 to pod doris-fe-0");
        }
        finally
        {
            if (!forward.HasExited)
            {
                forward.Kill();
            }

            forward.Dispose();
        }
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    // The simulated StatefulSet controller keeps ControllerRevisions, so history and undo work as on a real cluster.
    [Fact]
    public async Task KubectlRolloutHistory_AfterAnImageChange_ListsRevisionsAndUndoRestoresTheFirst()
    {
        await using var live = await LiveSandbox.StartAsync();
        var (dir, kubeconfig) = (live.Dir, live.Kubeconfig);
        var file = Path.Combine(dir, "web.yaml");
        await File.WriteAllTextAsync(file, Testing.Manifests.WebStatefulSet());
        (await Kubectl(kubeconfig, dir, "apply", "-f", file)).Code.ShouldBe(0);
        (await Kubectl(kubeconfig, dir, "rollout", "status", "sts/web", "--timeout=60s")).Code.ShouldBe(0);
        (await Kubectl(kubeconfig, dir, "set", "image", "sts/web", "web=nginx:1.28")).Code.ShouldBe(0);
        var rolled = await Kubectl(kubeconfig, dir, "rollout", "status", "sts/web", "--timeout=60s");
        rolled.Code.ShouldBe(0, rolled.Error);

        var history = await Kubectl(kubeconfig, dir, "rollout", "history", "sts/web");
        var first = await Kubectl(kubeconfig, dir, "rollout", "history", "sts/web", "--revision=1");
        var undo = await Kubectl(kubeconfig, dir, "rollout", "undo", "sts/web");

        history.Code.ShouldBe(0, history.Error);
        history.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(' ')[0]).ShouldBe(["REVISION", "1", "2"]);
        first.Out.ShouldContain("Image:\tnginx:1.27");
        undo.Code.ShouldBe(0, undo.Error);
        (await Kubectl(kubeconfig, dir, "get", "sts", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}")).Out.ShouldBe("nginx:1.27");
        (await Kubectl(kubeconfig, dir, "rollout", "status", "sts/web", "--timeout=60s")).Code.ShouldBe(0);
        var after = await Kubectl(kubeconfig, dir, "rollout", "history", "sts/web");
        after.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).Select(l => l.Split(' ')[0]).ShouldBe(["2", "3"], "the template used again takes the next number");
    }

    /// <summary>A sandbox on the system clock with the operator running and a kubeconfig for kubectl.</summary>
    private sealed class LiveSandbox : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _simulation = Task.CompletedTask;
        private IAsyncDisposable? _operator;

        public SandboxEnvironment Env { get; private init; } = null!;

        public string Dir { get; } = Directory.CreateTempSubdirectory("sandbox-kubectl-").FullName;

        public string Kubeconfig => Path.Combine(Dir, "kubeconfig");

        public static async Task<LiveSandbox> StartAsync()
        {
            var live = new LiveSandbox { Env = await SandboxEnvironment.StartAsync(new SandboxOptions { Tick = TimeSpan.FromMilliseconds(100) }, default) };
            await File.WriteAllTextAsync(live.Kubeconfig, live.Env.Server.Kubeconfig());
            live._simulation = live.Env.RunClusterAsync(live._stop.Token);
            live._operator = live.Env.StartOperator();
            return live;
        }

        public async ValueTask DisposeAsync()
        {
            if (_operator is not null)
            {
                await _operator.DisposeAsync();
            }

            await _stop.CancelAsync();
            await _simulation;
            await Env.DisposeAsync();
            _stop.Dispose();
        }
    }

    // Issue 20: scaling CNs below the autoscaler's minReplicas runs minReplicas; status used to say Ready and nothing else.
    [Fact]
    public async Task KubectlScale_CnBelowMinReplicas_IsClampedAndSaidInAConditionAndAnEvent()
    {
        await using var live = await LiveSandbox.StartAsync();
        var (env, dir, kubeconfig) = (live.Env, live.Dir, live.Kubeconfig);
        await ApplyProductionAsync(env);
        (await Kubectl(kubeconfig, dir, "wait", "--for=condition=Ready", "dcr/doris-prod", "-n", "doris", "--timeout=60s")).Code.ShouldBe(0);
        (await Kubectl(kubeconfig, dir, "get", "dcr/doris-prod", "-n", "doris", "-o", "jsonpath={.status.conditions[?(@.type==\"AutoscalerLimited\")].status}")).Out.ShouldBe("False");

        var scale = await Kubectl(kubeconfig, dir, "scale", "dcr/doris-prod", "-n", "doris", "--replicas=1");
        scale.Code.ShouldBe(0, scale.Error);
        var limited = await Kubectl(kubeconfig, dir, "wait", "--for=condition=AutoscalerLimited", "dcr/doris-prod", "-n", "doris", "--timeout=60s");
        limited.Code.ShouldBe(0, limited.Error);
        var message = await Kubectl(kubeconfig, dir, "get", "dcr/doris-prod", "-n", "doris", "-o", "jsonpath={.status.conditions[?(@.type==\"AutoscalerLimited\")].message}");
        message.Out.ShouldContain("spec.cnSpec.replicas is 1, below cnSpec.autoScalingPolicy.minReplicas 2: 2 CNs run");
        (await Kubectl(kubeconfig, dir, "get", "sts/doris-prod-cn", "-n", "doris", "-o", "jsonpath={.spec.replicas}")).Out.ShouldBe("2");
        var events = await Kubectl(kubeconfig, dir, "get", "events", "-n", "doris", "--field-selector", "reason=ReplicasOutsideAutoscalerBounds", "-o", "jsonpath={.items[*].type}");
        events.Out.ShouldBe("Warning");

        (await Kubectl(kubeconfig, dir, "scale", "dcr/doris-prod", "-n", "doris", "--replicas=3")).Code.ShouldBe(0);
        var within = await Kubectl(kubeconfig, dir, "wait", "--for=condition=AutoscalerLimited=False", "dcr/doris-prod", "-n", "doris", "--timeout=60s");
        within.Code.ShouldBe(0, within.Error);
    }

    /// <summary>The production example in namespace doris, with the auth Secret it names.</summary>
    private static async Task ApplyProductionAsync(SandboxEnvironment env)
    {
        var (cluster, maps) = Scenario.Example("production", "doris");
        await env.Client.For(Kubernetes.Client.ResourceDescriptor.Namespaces, Kubernetes.Serialization.KubernetesJsonContext.Default.Namespace).CreateAsync(new Kubernetes.Models.Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new Kubernetes.Models.ObjectMeta { Name = "doris" } });
        await env.Client.For(Kubernetes.Client.ResourceDescriptor.Secrets, Kubernetes.Serialization.KubernetesJsonContext.Default.Secret).CreateAsync(new Kubernetes.Models.Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new Kubernetes.Models.ObjectMeta { Name = "doris-auth", Namespace = "doris" }, StringData = new Dictionary<string, string> { ["username"] = "root", ["password"] = "sandbox" } });
        await env.ApplyAsync(cluster, maps);
    }

    private static Task<(int Code, string Out, string Error)> Kubectl(string kubeconfig, string dir, params string[] args) =>
        Testing.Kubectl.RunAsync(kubeconfig, Path.Combine(dir, "cache"), args);
}
