using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Cli.Tests;

/// <summary>DorisDisaggregatedCluster through the CLI: crd --kind ddc, validate, and the commands that do not read it yet.</summary>
public sealed class DisaggregatedCommandTests
{
    private static string InvalidDirectory => Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Api.Tests", "InvalidDisaggregated");

    public static TheoryData<string> InvalidFiles() => [.. Directory.GetFiles(InvalidDirectory, "*.yaml").Order(StringComparer.Ordinal)];

    private static string Sample => SharedFiles.UpstreamDisaggregatedExamples.Single(f => f.EndsWith("ddc-sample.yaml", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void Validate_InvalidDisaggregatedManifest_ExitsOneNamingTheFieldAndLine(string file) =>
        ValidateCommandTests.ValidateInvalid(file).Error.ShouldContain("1 DorisDisaggregatedCluster(s) checked");

    [Fact]
    public void Validate_UpstreamSampleWithADorisCluster_ChecksBoth()
    {
        var run = CliRun.Of("validate", "-f", Sample, "--example", "minimal");

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        run.Out.ShouldContain("1 DorisCluster(s) and 1 DorisDisaggregatedCluster(s) checked: 0 error(s)");
    }

    [Fact]
    public async Task Render_UpstreamSampleWithItsFdbConfigMap_PrintsWhatUpstreamMakesAndKubectlReadsIt()
    {
        var dir = Directory.CreateTempSubdirectory("ddc-render-").FullName;
        var fdb = Path.Combine(dir, "fdb.yaml");
        await File.WriteAllTextAsync(fdb, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: test-cluster-config, namespace: default}\ndata:\n  cluster-file: doris_fdb:Xa3k9@10.0.1.5:4500\n");

        var run = CliRun.Of("render", "-f", Sample, "-f", fdb);

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        var kinds = YamlReader.Read(run.Out, "out").Select(d => $"{d.Root!["kind"]}/{d.Root["metadata"]!["name"]}").ToList();
        // Upstream's objects in upstream's order, each StatefulSet followed by dorisctl's PodDisruptionBudget for it.
        kinds.ShouldBe([
            "StatefulSet/test-disaggregated-cluster-ms", "PodDisruptionBudget/test-disaggregated-cluster-ms-pdb", "Service/test-disaggregated-cluster-ms",
            "StatefulSet/test-disaggregated-cluster-fe", "PodDisruptionBudget/test-disaggregated-cluster-fe-pdb", "Service/test-disaggregated-cluster-fe", "Service/test-disaggregated-cluster-fe-internal",
            "StatefulSet/test-disaggregated-cluster-cg1", "PodDisruptionBudget/test-disaggregated-cluster-cg1-pdb", "Service/test-disaggregated-cluster-cg1", "Service/test-disaggregated-cluster-cg1-external",
            "StatefulSet/test-disaggregated-cluster-cg2", "PodDisruptionBudget/test-disaggregated-cluster-cg2-pdb", "Service/test-disaggregated-cluster-cg2", "Service/test-disaggregated-cluster-cg2-external"]);
        run.Out.ShouldContain("value: doris_fdb:Xa3k9@10.0.1.5:4500");
        run.Error.ShouldNotContain("FDB_ENDPOINT");

        var file = Path.Combine(dir, "out.yaml");
        await File.WriteAllTextAsync(file, run.Out);
        await using var server = await Doris.Kubernetes.Emulator.EmulatorServer.StartAsync(new Doris.Kubernetes.Emulator.EmulatorOptions { InitialNamespaces = TestNamespaces.All }, TimeProvider.System, default);
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, server.Kubeconfig());
        var (code, output, error) = await Kubectl.RunAsync(kubeconfig, Path.Combine(dir, "cache"), "apply", "--dry-run=server", "-f", file);
        code.ShouldBe(0, error);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(kinds.Count, "every object accepted by the API server (a dry run)");
    }

    [Fact]
    public void Render_WithoutTheFdbConfigMap_WarnsThatFdbEndpointIsMissing()
    {
        var run = CliRun.Of("render", "-f", Sample);

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        run.Error.ShouldContain("the meta service gets no FDB_ENDPOINT: give the FoundationDB ConfigMap 'test-cluster-config'");
    }

    // Real kubectl against the emulator: the CRD installs, upstream's sample applies, kubectl get ddc prints
    // upstream's columns, and a field the schema does not know is refused.
    [Fact]
    public async Task Crd_KindDdc_InstallsWithKubectlAndServesUpstreamsSample()
    {
        var run = CliRun.Of("crd", "--kind", "ddc");
        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        var dir = Directory.CreateTempSubdirectory("ddc-crd-").FullName;
        var crd = Path.Combine(dir, "crd.yaml");
        await File.WriteAllTextAsync(crd, run.Out);
        await using var server = await Doris.Kubernetes.Emulator.EmulatorServer.StartAsync(new Doris.Kubernetes.Emulator.EmulatorOptions { InitialNamespaces = TestNamespaces.All }, TimeProvider.System, default);
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, server.Kubeconfig());
        var cache = Path.Combine(dir, "cache");

        var install = await Kubectl.RunAsync(kubeconfig, cache, "apply", "-f", crd);
        install.Code.ShouldBe(0, install.Error);
        var apply = await Kubectl.RunAsync(kubeconfig, cache, "apply", "-f", Sample);
        apply.Code.ShouldBe(0, apply.Error);
        var get = await Kubectl.RunAsync(kubeconfig, cache, "get", "ddc");
        get.Code.ShouldBe(0, get.Error);
        get.Out.Split('\n')[0].ShouldStartWith("NAME");
        get.Out.ShouldContain("CLUSTERHEALTH");
        get.Out.ShouldContain("CGFULLAVAILABLECOUNT");
        get.Out.ShouldContain("test-disaggregated-cluster");

        var typo = Path.Combine(dir, "typo.yaml");
        await File.WriteAllTextAsync(typo, File.ReadAllText(Sample).Replace("replicas: 3", "replica: 3", StringComparison.Ordinal).Replace("test-disaggregated-cluster", "typo", StringComparison.Ordinal));
        var refused = await Kubectl.RunAsync(kubeconfig, cache, "apply", "-f", typo);
        refused.Code.ShouldNotBe(0);
        refused.Error.ShouldContain("replica");
    }
}
