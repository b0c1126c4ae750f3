using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Cli.Tests;

public sealed class RenderCommandTests
{
    [Fact]
    public void Render_BuiltInExample_PrintsObjectsAndExitsZero()
    {
        var run = CliRun.Of("render", "--example", "minimal");

        run.ExitCode.ShouldBe(ExitCodes.Success);
        var kinds = YamlReader.Read(run.Out, "out").Select(d => $"{(string?)d.Root!["kind"]}/{(string?)d.Root!["metadata"]!["name"]}").ToList();
        kinds.ShouldContain("StatefulSet/doris-fe");
        kinds.ShouldContain("StatefulSet/doris-be");
        kinds.ShouldContain("Service/doris-fe-service");
        run.HasStackTrace.ShouldBeFalse();
    }

    [Fact]
    public void Render_ClusterAndConfigMapFiles_UsesThePortsFromTheConfigMap()
    {
        var dir = Directory.CreateTempSubdirectory("dorisctl-");
        var cluster = Path.Combine(dir.FullName, "cluster.yaml");
        var configMaps = Path.Combine(dir.FullName, "configmaps.yaml");
        File.Copy(SharedFiles.Reference("doris-operator", "doc", "examples", "doriscluster-sample-configmap.yaml"), cluster);
        File.WriteAllText(configMaps, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fe-configmap}\ndata:\n  fe.conf: |\n    query_port = 19030\n    enable_fqdn_mode = true\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: be-configmap}\ndata:\n  be.conf: |\n    heartbeat_service_port = 19050\n");

        var run = CliRun.Of("render", "-f", cluster, "-f", configMaps);

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        run.Out.ShouldContain("port: 19030");
        run.Out.ShouldContain("port: 19050");
        run.Error.ShouldNotContain("error");
    }

    [Fact]
    public void Render_JsonOutput_IsAKubernetesList()
    {
        var run = CliRun.Of("render", "--example", "minimal", "-o", "json");

        run.ExitCode.ShouldBe(ExitCodes.Success);
        var list = System.Text.Json.Nodes.JsonNode.Parse(run.Out)!;
        ((string?)list["kind"]).ShouldBe("List");
        list["items"]!.AsArray().Count.ShouldBeGreaterThan(4);
    }

    [Fact]
    public void Render_FromStdin_ReadsTheManifest()
    {
        var run = CliRun.WithInput("apiVersion: doris.selectdb.com/v1\nkind: DorisCluster\nmetadata: {name: s}\nspec:\n  feSpec: {replicas: 1, electionNumber: 1, image: apache/doris:fe-2.1.8}\n", "render", "-f", "-");

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        run.Out.ShouldContain("name: s-fe");
    }

    [Fact]
    public void Render_InvalidCluster_PrintsNothingAndExitsOne()
    {
        var run = CliRun.Of("render", "-f", Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Api.Tests", "Invalid", "03-election-even.yaml"));

        run.ExitCode.ShouldBe(ExitCodes.Invalid);
        run.Out.ShouldBeEmpty();
        run.Error.ShouldContain("spec.feSpec.electionNumber: 4 is even");
        run.Error.ShouldContain("nothing rendered");
    }

    [Fact]
    public void Render_OneInvalidAmongSeveral_RendersNone()
    {
        var good = SharedFiles.UpstreamExamples[0];
        var bad = Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Api.Tests", "Invalid", "10-hpa-min-above-max.yaml");

        var run = CliRun.Of("render", "-f", good, "-f", bad);

        run.ExitCode.ShouldBe(ExitCodes.Invalid);
        run.Out.ShouldBeEmpty();
    }

    [Fact]
    public void Render_KindTypoInOurGroup_IsRejectedWithTheFix()
    {
        var run = CliRun.WithInput("apiVersion: doris.selectdb.com/v1\nkind: DorisClustr\nmetadata: {name: x}\n", "render", "-f", "-");

        run.ExitCode.ShouldBe(ExitCodes.Invalid);
        run.Error.ShouldContain("'DorisClustr' is not a DorisCluster; set kind: DorisCluster");
    }

    [Fact]
    public void Render_SecretsBesideTheCluster_ArePassedOverWithAWarning()
    {
        var run = CliRun.Of("render", "-f", SharedFiles.Reference("doris-operator", "doc", "examples", "doriscluster-sample-secret.yaml"));

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        run.Error.ShouldContain("warning: kind: Secret 'db-user' passed over");
        run.Out.ShouldNotContain("kind: Secret");
    }
}
