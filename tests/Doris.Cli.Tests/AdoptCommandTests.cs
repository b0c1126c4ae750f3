using System.Text.Json.Nodes;
using Doris.Testing;

namespace Doris.Cli.Tests;

/// <summary>
/// <c>dorisctl adopt</c>: what taking over live StatefulSets would change. The live objects come from files
/// (what <c>kubectl get sts -o yaml</c> prints) or from a cluster through a kubeconfig (here a running sandbox).
/// </summary>
public sealed class AdoptCommandTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adopt-").FullName;

    private static string Minimal => Path.Combine(SharedFiles.RepositoryRoot, "examples", "minimal.yaml");

    // The StatefulSets as the operator renders them, as a kind: List like kubectl prints.
    private string Live(Func<JsonObject, JsonObject>? change = null)
    {
        var render = CliRun.Of("render", "-f", Minimal, "-o", "json");
        render.ExitCode.ShouldBe(ExitCodes.Success, render.Error);
        var items = (JsonNode.Parse(render.Out) as JsonObject)?["items"] as JsonArray ?? JsonNode.Parse(render.Out) as JsonArray ?? [];
        var sets = items.OfType<JsonObject>().Where(o => (string?)o["kind"] == "StatefulSet").Select(o => (JsonNode)(change ?? (x => x))((JsonObject)o.DeepClone())).ToList();
        var path = Path.Combine(_dir, $"live-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. sets]) }.ToJsonString());
        return path;
    }

    [Fact]
    public void Adopt_LiveAsWeRenderIt_NothingRollsAndExitsZero()
    {
        var run = CliRun.Of("adopt", "-f", Minimal, "-f", Live());

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error + run.Out);
        run.Out.ShouldContain("StatefulSet doris-fe: pod template unchanged: no pod restarts");
        run.Out.ShouldContain("StatefulSet doris-be: pod template unchanged: no pod restarts");
    }

    // Upstream's host tuning lacks our transparent-hugepage step: adopting rolls the BEs once, and says so.
    [Fact]
    public void Adopt_UpstreamInitContainer_ReportsTheFieldAndExitsFive()
    {
        var live = Live(sts =>
        {
            if ((string?)sts["metadata"]!["name"] == "doris-be")
            {
                sts["spec"]!["template"]!["spec"]!["initContainers"]![0]!["args"]![1] = "sysctl -w vm.max_map_count=2000000 && swapoff -a";
            }

            return sts;
        });

        var run = CliRun.Of("adopt", "-f", Minimal, "-f", live);
        var json = CliRun.Of("adopt", "-f", Minimal, "-f", live, "-o", "json");

        run.ExitCode.ShouldBe(ExitCodes.WouldRoll);
        run.Out.ShouldContain("StatefulSet doris-be: 1 pod-template difference(s): its pods roll");
        run.Out.ShouldContain("spec.template.spec.initContainers[default-init].args[1]: \"sysctl -w vm.max_map_count=2000000 && swapoff -a\" -> \"sysctl -w vm.max_map_count=2000000 && swapoff -a && { echo never");
        run.Out.ShouldContain("[documented: host tuning: transparent hugepages off]");
        run.Out.ShouldContain("StatefulSet doris-fe: pod template unchanged");
        var be = JsonNode.Parse(json.Out)!.AsArray().Single(r => (string?)r!["statefulSet"] == "doris-be")!;
        ((bool)be["rolls"]!).ShouldBeTrue();
        ((string?)be["template"]![0]!["documented"]).ShouldBe("host tuning: transparent hugepages off");
    }

    public static TheoryData<string> UpstreamExamples() => [.. SharedFiles.UpstreamExamples.Select(f => Path.GetFileName(f))];

    // Handing over what upstream's operator made (the fixtures written from its Go builders): every pod-template
    // difference adopt reports is one of the documented ones, never one to look into.
    [Theory]
    [MemberData(nameof(UpstreamExamples))]
    public void Adopt_WhatUpstreamRendered_ReportsOnlyDocumentedDifferences(string example)
    {
        var cluster = SharedFiles.UpstreamExamples.Single(f => Path.GetFileName(f) == example);
        var upstream = Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Desired.Tests", "Upstream", example);
        var configMaps = Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Desired.Tests", "Upstream", "configmaps.yaml");

        var run = CliRun.Of("adopt", "-f", cluster, "-f", upstream, "-f", configMaps, "-o", "json");

        run.ExitCode.ShouldBe(ExitCodes.WouldRoll, run.Error + run.Out);
        var reports = JsonNode.Parse(run.Out)!.AsArray();
        reports.ShouldNotBeEmpty();
        reports.ShouldAllBe(r => (bool)r!["exists"]!, "every StatefulSet upstream made is found");
        var undocumented = reports.SelectMany(r => r!["template"]!.AsArray()).Where(d => d!["documented"] == null).Select(d => d!.ToJsonString()).ToList();
        undocumented.ShouldBeEmpty();
    }

    // A difference that is not one we chose is flagged, so a user knows to look into it before switching.
    [Fact]
    public void Adopt_UndocumentedDifference_IsFlagged()
    {
        var live = Live(sts =>
        {
            sts["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "apache/doris:fe-2.1.7";
            return sts;
        });

        var run = CliRun.Of("adopt", "-f", Minimal, "-f", live);

        run.ExitCode.ShouldBe(ExitCodes.WouldRoll);
        run.Out.ShouldContain("spec.template.spec.containers[fe].image: \"apache/doris:fe-2.1.7\"");
        run.Out.ShouldContain("[not a documented difference");
    }

    // Fields the API server fills in (defaults) exist only on the live side: they are no difference.
    [Fact]
    public void Adopt_LiveWithServerDefaults_TheyAreNoDifference()
    {
        var live = Live(sts =>
        {
            sts["spec"]!["revisionHistoryLimit"] ??= 10;
            var container = sts["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
            container["terminationMessagePath"] = "/dev/termination-log";
            container["terminationMessagePolicy"] = "File";
            sts["spec"]!["template"]!["spec"]!["dnsPolicy"] = "ClusterFirst";
            sts["status"] = new JsonObject { ["replicas"] = 1 };
            return sts;
        });

        var run = CliRun.Of("adopt", "-f", Minimal, "-f", live);

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Out);
    }

    [Fact]
    public void Adopt_NoLiveStatefulSets_SaysTheyWouldBeCreated()
    {
        var empty = Path.Combine(_dir, "none.yaml");
        File.WriteAllText(empty, "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: unrelated}\nspec: {}\n");

        var run = CliRun.Of("adopt", "-f", Minimal, "-f", empty);

        run.ExitCode.ShouldBe(ExitCodes.Success);
        run.Out.ShouldContain("StatefulSet doris-fe: not found; it would be created");
    }

    // Against a cluster the operator runs (a live sandbox, through its kubeconfig): its own StatefulSets, with
    // whatever the API server defaulted, need nothing.
    [Fact]
    public async Task Adopt_AClusterThisOperatorRuns_NothingRolls()
    {
        await using var env = await Sandbox.SandboxEnvironment.StartAsync(new Sandbox.SandboxOptions { Tick = TimeSpan.FromMilliseconds(100) }, default);
        using var stop = new CancellationTokenSource();
        var simulation = env.RunClusterAsync(stop.Token);
        await using (env.StartOperator())
        {
            var manifest = Doris.Api.Validation.DorisClusterReader.Read(Kubernetes.Serialization.YamlReader.Read(File.ReadAllText(Minimal), "minimal.yaml")[0]).Cluster!;
            await env.ApplyAsync(manifest, []);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await env.Clusters.GetAsync("default", "doris")).Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") != true && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            var kubeconfig = Path.Combine(_dir, "kubeconfig");
            await File.WriteAllTextAsync(kubeconfig, env.Server.Kubeconfig());

            var run = await Task.Run(() => CliRun.Of("adopt", "-f", Minimal, "--kubeconfig", kubeconfig));

            run.ExitCode.ShouldBe(ExitCodes.Success, run.Error + run.Out);
            run.Out.ShouldContain("StatefulSet doris-be: pod template unchanged: no pod restarts");
        }

        await stop.CancelAsync();
        await simulation;
    }
}
