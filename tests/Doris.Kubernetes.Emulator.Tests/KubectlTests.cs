using System.Diagnostics;
using Doris.Testing;

namespace Doris.Kubernetes.Emulator.Tests;

/// <summary>
/// The real kubectl against the emulator, over HTTPS with the emulator's CA in a kubeconfig and a fresh cache
/// directory. kubectl is a prerequisite (.ci/run installs Debian's kubernetes-client when it is missing): its
/// absence fails these tests rather than skipping them.
/// </summary>
public sealed class KubectlTests : KubectlSession
{

    private static string Minimal => Path.Combine(SharedFiles.RepositoryRoot, "examples", "minimal.yaml");

    // The kubeconfig the server writes carries its generated token; any other token is refused.
    // kubectl explain reads the CRD's schema through the server's OpenAPI: our descriptions must reach it.
    [Fact]
    public async Task KubectlExplain_DorisClusterFields_ShowOurDescriptions()
    {
        (await Kubectl("apply", "--server-side", "-f", CrdFile)).Code.ShouldBe(0);
        (await Kubectl("wait", "--for=condition=established", "crd/dorisclusters.doris.selectdb.com", "--timeout=20s")).Code.ShouldBe(0);

        var election = await Kubectl("explain", "dorisclusters.spec.feSpec.electionNumber");
        var affinity = await Kubectl("explain", "dcr.spec.beSpec.affinity.nodeAffinity");

        election.Code.ShouldBe(0, election.Error);
        election.Out.ShouldContain("How many FEs are followers");
        affinity.Code.ShouldBe(0, affinity.Error);
        affinity.Out.ShouldContain("Kubernetes Affinity.nodeAffinity.");
    }

    [Fact]
    public async Task Kubectl_WrongToken_IsRefusedAsUnauthorized()
    {
        var forged = Path.Combine(Dir, "forged");
        await File.WriteAllTextAsync(forged, Server.Kubeconfig().Replace(Server.BearerToken, "guessed-token", StringComparison.Ordinal));

        var refused = await Testing.Kubectl.RunAsync(forged, Path.Combine(Dir, "cache-forged"), "get", "configmaps");
        var allowed = await Kubectl("get", "configmaps");

        refused.Code.ShouldNotBe(0);
        refused.Error.ShouldContain("You must be logged in to the server"); // kubectl's words for a 401
        allowed.Code.ShouldBe(0, allowed.Error);
    }

    [Fact]
    public async Task Kubectl_AppliesTheCrdAndAClusterAndReadsItBack()
    {
        (await Kubectl("apply", "-f", CrdFile)).Code.ShouldBe(0);
        var applied = await Kubectl("apply", "-f", Minimal);
        applied.Code.ShouldBe(0, applied.Error);

        var yaml = await Kubectl("get", "dcr", "doris", "-o", "yaml");
        yaml.Out.ShouldContain("kind: DorisCluster");
        yaml.Out.ShouldContain("image: apache/doris:fe-2.1.8");
        yaml.Out.ShouldContain("resourceVersion:");

        var table = await Kubectl("get", "dcr");
        table.Out.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["NAME", "FESTATUS", "BESTATUS", "CNSTATUS", "BROKERSTATUS", "READY", "AGE"]);
        table.Out.ShouldContain("doris");
    }

    [Fact]
    public async Task KubectlScale_DorisCluster_WritesTheCnReplicasThroughTheScaleSubresource()
    {
        await Kubectl("apply", "-f", CrdFile);
        await Kubectl("apply", "-f", Minimal);
        (await Kubectl("patch", "dcr", "doris", "--type", "merge", "-p", """{"spec":{"cnSpec":{"image":"c","replicas":2}}}""")).Code.ShouldBe(0);

        var scaled = await Kubectl("scale", "dcr", "doris", "--replicas=5");
        scaled.Code.ShouldBe(0, scaled.Error);
        (await Kubectl("get", "dcr", "doris", "-o", "jsonpath={.spec.cnSpec.replicas} {.spec.beSpec.replicas}")).Out.ShouldBe("5 1", "only the CN replicas move");

        var stale = await Kubectl("scale", "dcr", "doris", "--replicas=3", "--resource-version=1");
        stale.Code.ShouldNotBe(0);
        stale.Error.ShouldContain("resource version", Case.Insensitive, stale.Error);
        var negative = await Kubectl("scale", "dcr", "doris", "--replicas=-1");
        negative.Code.ShouldNotBe(0);
        (await Kubectl("get", "dcr", "doris", "-o", "jsonpath={.spec.cnSpec.replicas}")).Out.ShouldBe("5");
    }

    [Fact]
    public async Task Kubectl_LabelAndMergePatch_ChangeTheObject()
    {
        await Kubectl("apply", "-f", CrdFile);
        await Kubectl("apply", "-f", Minimal);

        (await Kubectl("label", "dcr", "doris", "team=bi")).Code.ShouldBe(0);
        (await Kubectl("patch", "dcr", "doris", "--type", "merge", "-p", """{"spec":{"beSpec":{"replicas":3}}}""")).Code.ShouldBe(0);

        var result = await Kubectl("get", "dcr", "doris", "-o", "jsonpath={.metadata.labels.team} {.spec.beSpec.replicas} {.metadata.generation}");
        result.Out.ShouldBe("bi 3 2");
    }

    [Fact]
    public async Task Kubectl_WatchSeesAddModifyDelete_AndDeleteWaits()
    {
        await Kubectl("apply", "-f", CrdFile);
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--kubeconfig", Path.Combine(Dir, "kubeconfig"), "--cache-dir", Path.Combine(Dir, "cache"), "get", "dcr", "--watch", "--output-watch-events" })
        {
            start.ArgumentList.Add(a);
        }

        using var watch = Process.Start(start)!;
        await Task.Delay(TimeSpan.FromSeconds(3)); // kubectl must be watching before the first change

        await Kubectl("apply", "-f", Minimal);
        await Kubectl("patch", "dcr", "doris", "--type", "merge", "-p", """{"spec":{"beSpec":{"replicas":2}}}""");
        var deleted = await Kubectl("delete", "dcr", "doris", "--wait=true");
        await Task.Delay(TimeSpan.FromSeconds(2));
        watch.Kill();
        var output = await watch.StandardOutput.ReadToEndAsync();

        deleted.Code.ShouldBe(0);
        var events = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]).ToList();
        events.ShouldBe(["ADDED", "MODIFIED", "DELETED"], output);
        (await Kubectl("get", "dcr", "doris")).Error.ShouldContain("NotFound");
    }

    [Fact]
    public async Task Kubectl_StrictValidation_RejectsAnUnknownField()
    {
        await Kubectl("apply", "-f", CrdFile);
        var bad = Path.Combine(Dir, "bad.yaml");
        await File.WriteAllTextAsync(bad, (await File.ReadAllTextAsync(Minimal)).Replace("    electionNumber: 1", "    electionNumber: 1\n    electionNumbr: 3", StringComparison.Ordinal));

        var result = await Kubectl("apply", "--validate=strict", "-f", bad);

        result.Code.ShouldNotBe(0);
        result.Error.ShouldContain("unknown field \"spec.feSpec.electionNumbr\"");
    }

    [Fact]
    public async Task Kubectl_GetMoreThanOneChunk_ListsEveryObject()
    {
        for (var i = 0; i < 620; i++)
        {
            Server.Store.Create(new Storage.ResourceType(string.Empty, "v1", "ConfigMap", "configmaps", "configmap", true, false, ["cm"]), "many", new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = $"cm-{i:000}" } });
        }

        var result = await Kubectl("get", "configmaps", "-n", "many", "--no-headers");

        result.Code.ShouldBe(0, result.Error);
        result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(620, "kubectl reads 500 rows per request and follows the continue token");
    }
}
