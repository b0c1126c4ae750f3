using Doris.Testing;

namespace Doris.Cli.Tests;

public sealed class SandboxCommandTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sandbox-cli-").FullName;

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Sandbox_UntilReadyOnAnExample_ExitsZeroWithSummaryAndKubeconfig()
    {
        var kubeconfig = Path.Combine(_dir, "kc");
        File.WriteAllText(kubeconfig, "an earlier run's, world-readable");
        File.SetUnixFileMode(kubeconfig, (UnixFileMode)0b110_100_100);
        var run = CliRun.Of("sandbox", "--example", "minimal", "--until-ready", "--timeout", "60s", "--kubeconfig-out", kubeconfig);

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        run.Out.ShouldContain("Ready=True");
        run.Out.ShouldContain("doris-fe-0   yes");
        run.Out.ShouldContain("ON_DEMAND");
        File.ReadAllText(kubeconfig).ShouldContain("certificate-authority-data");
        File.GetUnixFileMode(kubeconfig).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, "it holds the bearer token");
    }

    // A storage-compute cluster: the operator creates the meta service, the FE, then both compute groups, and the
    // simulated FE reports each group's id from SHOW BACKENDS.
    [Fact]
    public void Sandbox_DisaggregatedExample_BecomesReadyWithBothComputeGroups()
    {
        var run = CliRun.Of("sandbox", "--example", "disaggregated", "--until-ready", "--timeout", "2m", "--kubeconfig-out", Path.Combine(_dir, "kc-ddc"));

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error + run.Out);
        run.Out.ShouldContain("applied DorisDisaggregatedCluster doris/doris-sc");
        run.Out.ShouldContain("meta service Ready; FE Reconciling");
        run.Out.ShouldContain("DorisDisaggregatedCluster doris/doris-sc is Ready (health green");
        run.Out.ShouldMatch(@"steady\s+Ready\s+2/2\s+steady_\d+");
        run.Out.ShouldMatch(@"burst\s+Ready\s+3/3\s+burst_\d+");
    }

    [Fact]
    public void Sandbox_DisaggregatedWithFleet_IsAUsageErrorNamingTheOptions()
    {
        var run = CliRun.Of("sandbox", "--example", "disaggregated", "--placement", "x.yaml", "--until-ready", "--kubeconfig-out", Path.Combine(_dir, "kc-ddc-2"));

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain("drop --handover, --placement, --fleet and -o json");
    }

    // Starting from what apache/doris-operator left running (examples/handover: its render of the cluster, written
    // from its Go builders) and handing it over: what adopt predicts, what restarted, every claim kept.
    [Fact]
    public void Sandbox_HandoverFromUpstreamObjects_ReportsRestartsAndKeepsEveryClaim()
    {
        var dir = Path.Combine(SharedFiles.RepositoryRoot, "examples", "handover");
        var run = CliRun.Of("sandbox", "-f", Path.Combine(dir, "cluster.yaml"), "-f", Path.Combine(dir, "upstream-objects.yaml"), "--handover", "--until-ready", "--timeout", "3m", "--kubeconfig-out", Path.Combine(_dir, "kc-handover"));

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error + run.Out);
        run.Out.ShouldContain("applied 2 StatefulSet(s) and 4 Service(s) as the previous operator left them");
        run.Out.ShouldContain("[documented: host tuning: transparent hugepages off]");
        run.Out.ShouldNotContain("[not a documented difference");
        run.Out.ShouldContain("handover: StatefulSet doris-be: 3 of 3 pod(s) restarted");
        run.Out.ShouldContain("handover: every claim kept (11 of 11, same uids)");
    }

    [Fact]
    public void Sandbox_HandoverWithoutLiveObjects_IsAUsageErrorNamingWhatToAdd()
    {
        var run = CliRun.Of("sandbox", "--example", "minimal", "--handover", "--until-ready", "--kubeconfig-out", Path.Combine(_dir, "kc-handover-empty"));

        run.ExitCode.ShouldBe(ExitCodes.Invalid);
        run.Error.ShouldContain("kubectl get sts,svc");
    }

    // The main job's example: its own namespace and an auth Secret the sandbox creates there before the cluster.
    [Fact]
    public void Sandbox_ProductionExampleInItsOwnNamespace_BecomesReady()
    {
        var run = CliRun.Of("sandbox", "--example", "production", "--until-ready", "--timeout", "2m", "--kubeconfig-out", Path.Combine(_dir, "kc-prod"));

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error + run.Out);
        run.Out.ShouldContain("created Secret doris/");
        run.Out.ShouldContain("Ready=True");
    }

    [Fact]
    public void Sandbox_PodsThatFitNowhere_ExitsNotReadyWithTheSchedulerReason()
    {
        var file = Path.Combine(_dir, "huge.yaml");
        File.WriteAllText(file, """
            apiVersion: doris.selectdb.com/v1
            kind: DorisCluster
            metadata: {name: huge}
            spec:
              feSpec: {replicas: 1, image: "apache/doris:fe-2.1.8", requests: {cpu: "64", memory: 8Gi}}
            """);

        var run = CliRun.Of("sandbox", "-f", file, "--until-ready", "--timeout", "00:00:03", "--kubeconfig-out", Path.Combine(_dir, "kc2"));

        run.ExitCode.ShouldBe(ExitCodes.NotReady);
        run.Error.ShouldContain("Insufficient cpu");
        run.Error.ShouldContain("was not Ready within");
        run.HasStackTrace.ShouldBeFalse();
    }

    // A Secret in the input (the cluster's auth Secret) is applied as given, before the cluster, and never printed.
    [Fact]
    public void Sandbox_SecretInTheInput_IsAppliedAndItsValueNeverShown()
    {
        var file = Path.Combine(_dir, "with-secret.yaml");
        File.WriteAllText(file, """
            apiVersion: v1
            kind: Secret
            metadata: {name: doris-auth}
            type: kubernetes.io/basic-auth
            stringData: {username: root, password: "sandbox-pw-8841"}
            ---
            apiVersion: doris.selectdb.com/v1
            kind: DorisCluster
            metadata: {name: auth}
            spec:
              authSecret: doris-auth
              feSpec: {replicas: 1, image: "apache/doris:fe-2.1.8", requests: {cpu: "2", memory: 4Gi}}
            """);

        var run = CliRun.Of("sandbox", "-f", file, "--until-ready", "--timeout", "60s", "--kubeconfig-out", Path.Combine(_dir, "kc-secret"));

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        run.Out.ShouldContain("applied Secret default/doris-auth from the input");
        run.Out.ShouldNotContain("random password");
        (run.Out + run.Error).ShouldNotContain("sandbox-pw-8841");
    }

    [Fact]
    public void Sandbox_SecretWithDataThatIsNotBase64_IsRefusedNamingTheKeyNotTheValue()
    {
        var file = Path.Combine(_dir, "bad-secret.yaml");
        File.WriteAllText(file, """
            apiVersion: v1
            kind: Secret
            metadata: {name: doris-auth}
            data: {username: cm9vdA==, password: "plain text pw!"}
            ---
            apiVersion: doris.selectdb.com/v1
            kind: DorisCluster
            metadata: {name: auth}
            spec:
              authSecret: doris-auth
              feSpec: {replicas: 1, image: "apache/doris:fe-2.1.8"}
            """);

        var run = CliRun.Of("sandbox", "-f", file, "--until-ready");

        run.ExitCode.ShouldBe(ExitCodes.Invalid);
        run.Error.ShouldContain("data[password]");
        run.Error.ShouldContain("not base64");
        run.Error.ShouldNotContain("plain text pw!");
        run.Out.ShouldNotContain("sandbox API server");
    }

    [Fact]
    public void Sandbox_InvalidManifest_RefusesBeforeStarting()
    {
        var file = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(file, """
            apiVersion: doris.selectdb.com/v1
            kind: DorisCluster
            metadata: {name: bad}
            spec:
              feSpec: {replicas: -1, image: "apache/doris:fe-2.1.8"}
            """);

        var run = CliRun.Of("sandbox", "-f", file, "--until-ready");

        run.ExitCode.ShouldBe(ExitCodes.Invalid);
        run.Error.ShouldContain("replicas");
        run.Out.ShouldNotContain("sandbox API server");
    }

    [Fact]
    public void Sandbox_ScaleInScenario_UntilDone_ExitsZeroWithInvariantsHeld()
    {
        var run = CliRun.Of("sandbox", "--scenario", "scale-in", "--until-done", "--timeout", "2m", "--kubeconfig-out", Path.Combine(_dir, "kc3"));

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error + run.Out);
        run.Out.ShouldContain("decommissioning");
        run.Out.ShouldContain("completed");
        run.Out.ShouldContain("every invariant held");
        run.Out.ShouldContain("scale-in-be-2   yes");
        run.Out.ShouldNotContain("scale-in-be-3   ");
    }

    [Fact]
    public void Sandbox_SpotScenario_UntilDone_ShowsTheInterruptionHandledAndExitsZero()
    {
        var run = CliRun.Of("sandbox", "--scenario", "spot", "--until-done", "--interruptions", "2", "--kubeconfig-out", Path.Combine(_dir, "kc4"));

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error + run.Out);
        run.Out.ShouldContain("Spot interruption notice for");
        run.Out.ShouldContain("no CN left on it");
        run.Out.ShouldContain("of the 120s notice");
        run.Out.ShouldContain("every CN drained before its node was reclaimed");
    }

    [Fact]
    public void Sandbox_SpotComputeGroupsScenario_UntilDone_DrainsMembersInsideTheNotice()
    {
        var run = CliRun.Of("sandbox", "--scenario", "spot-compute-groups", "--until-done", "--interruptions", "3", "--seed", "7", "--kubeconfig-out", Path.Combine(_dir, "kc-ddc-spot"));

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error + run.Out);
        run.Out.ShouldContain("applied DorisDisaggregatedCluster default/spot");
        run.Out.ShouldContain("Spot interruption notice for");
        run.Out.ShouldContain("no compute-group member left on it");
        run.Out.ShouldMatch(@"drained spot-burst-\d+ off ip-[\d-]+\.ec2\.internal \(Spot (interruption notice|rebalance recommendation)");
        run.Out.ShouldContain("compute-group member drains");
        run.Out.ShouldContain("every compute-group member drained before its node was reclaimed");
    }

    [Fact]
    public void Sandbox_SpotScenario_ZeroInterruptions_IsAUsageError()
    {
        var run = CliRun.Of("sandbox", "--scenario", "spot", "--interruptions", "0", "--kubeconfig-out", Path.Combine(_dir, "kc5"));

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain("--interruptions 0: use 1 or more");
    }
}
