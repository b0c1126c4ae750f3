using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Emulator.Tests;

/// <summary>
/// <c>kubectl apply --server-side</c> against the emulator: managedFields recorded per manager, conflicts between
/// managers refused unless forced, fields a manager stops applying removed, list items owned by their keys.
/// </summary>
public sealed class ServerSideApplyTests : KubectlSession
{
    private static string ConfigMap(params string[] data) =>
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n" + string.Concat(data.Select(d => $"  {d}\n"));

    private async Task<(int Code, string Out, string Error)> ApplyAsync(string yaml, params string[] flags)
    {
        var file = await FileAsync($"apply-{Guid.NewGuid():N}.yaml", yaml);
        return await Kubectl(["apply", "--server-side", "-f", file, .. flags]);
    }

    private async Task<JsonObject> GetAsync(string resource, string name)
    {
        var got = await Kubectl("get", resource, name, "--show-managed-fields", "-o", "json");
        got.Code.ShouldBe(0, got.Error);
        return (JsonObject)JsonNode.Parse(got.Out)!;
    }

    private static string[] Managers(JsonObject obj) =>
        [.. (obj["metadata"]!["managedFields"] as JsonArray ?? []).Select(e => $"{e!["manager"]}/{e["operation"]}")];

    private static JsonObject? FieldsOf(JsonObject obj, string manager) =>
        (obj["metadata"]!["managedFields"] as JsonArray ?? []).FirstOrDefault(e => (string?)e!["manager"] == manager)?["fieldsV1"] as JsonObject;

    [Fact]
    public async Task ServerSideApply_FieldNoLongerApplied_IsRemoved()
    {
        (await ApplyAsync(ConfigMap("a: \"1\"", "b: \"2\""))).Code.ShouldBe(0);

        var second = await ApplyAsync(ConfigMap("a: \"1\""));

        second.Code.ShouldBe(0, second.Error);
        var cm = await GetAsync("cm", "settings");
        cm["data"]!.ToJsonString().ShouldBe("""{"a":"1"}""");
        Managers(cm).ShouldBe(["kubectl/Apply"]);
        FieldsOf(cm, "kubectl")!.ToJsonString().ShouldBe("""{"f:data":{"f:a":{}}}""");
    }

    [Fact]
    public async Task ServerSideApply_FieldOwnedByAnotherManager_ConflictNamesManagerAndField()
    {
        (await ApplyAsync(ConfigMap("mode: blue"), "--field-manager=alice")).Code.ShouldBe(0);

        var refused = await ApplyAsync(ConfigMap("mode: green"), "--field-manager=bob");

        refused.Code.ShouldNotBe(0);
        refused.Error.ShouldContain("conflict with \"alice\"");
        refused.Error.ShouldContain(".data.mode");
        (await Kubectl("get", "cm", "settings", "-o", "jsonpath={.data.mode}")).Out.ShouldBe("blue");
    }

    [Fact]
    public async Task ServerSideApply_ForceConflicts_TakesOwnership()
    {
        (await ApplyAsync(ConfigMap("mode: blue", "owner: alice"), "--field-manager=alice")).Code.ShouldBe(0);

        var forced = await ApplyAsync(ConfigMap("mode: green"), "--field-manager=bob", "--force-conflicts");

        forced.Code.ShouldBe(0, forced.Error);
        var cm = await GetAsync("cm", "settings");
        cm["data"]!.ToJsonString().ShouldBe("""{"mode":"green","owner":"alice"}""");
        FieldsOf(cm, "bob")!.ToJsonString().ShouldBe("""{"f:data":{"f:mode":{}}}""");
        FieldsOf(cm, "alice")!.ToJsonString().ShouldBe("""{"f:data":{"f:owner":{}}}""", "a forced apply takes the field away from its old manager");
    }

    [Fact]
    public async Task ServerSideApply_SameValueFromTwoManagers_IsSharedAndSurvivesOneLettingGo()
    {
        (await ApplyAsync(ConfigMap("mode: blue"), "--field-manager=alice")).Code.ShouldBe(0);
        (await ApplyAsync(ConfigMap("mode: blue"), "--field-manager=bob")).Code.ShouldBe(0, "the same value is no conflict");

        (await ApplyAsync(ConfigMap("other: x"), "--field-manager=alice")).Code.ShouldBe(0);

        (await Kubectl("get", "cm", "settings", "-o", "jsonpath={.data.mode} {.data.other}")).Out.ShouldBe("blue x", "bob still owns mode");
    }

    [Fact]
    public async Task ServerSideApply_ReplicasChangedByKubectlScale_ConflictsOnReapply()
    {
        const string Sts = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: be}
            spec:
              replicas: 2
              serviceName: be
              selector: {matchLabels: {app: be}}
              template:
                metadata: {labels: {app: be}}
                spec:
                  containers: [{name: be, image: "apache/doris:be-2.1.8"}]
            """;
        (await ApplyAsync(Sts)).Code.ShouldBe(0);
        (await Kubectl("scale", "sts", "be", "--replicas=4")).Code.ShouldBe(0);

        var reapplied = await ApplyAsync(Sts);

        reapplied.Code.ShouldNotBe(0);
        reapplied.Error.ShouldContain("conflict with \"kubectl\" with subresource \"scale\" using apps/v1");
        reapplied.Error.ShouldContain(".spec.replicas");
    }

    [Fact]
    public async Task ServerSideApply_ContainerNoLongerApplied_IsRemovedByItsKey()
    {
        static string Deployment(params string[] containers) => """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
            """ + string.Concat(containers.Select(c => $"\n        - {{name: {c}, image: \"{c}:1\"}}"));
        (await ApplyAsync(Deployment("app", "sidecar"))).Code.ShouldBe(0);

        (await ApplyAsync(Deployment("app"))).Code.ShouldBe(0);

        var web = await GetAsync("deploy", "web");
        ((JsonArray)web["spec"]!["template"]!["spec"]!["containers"]!).Select(c => (string?)c!["name"]).ShouldBe(["app"]);
        var containers = FieldsOf(web, "kubectl")!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!.AsObject();
        containers.Select(kv => kv.Key).ShouldBe(["k:{\"name\":\"app\"}"]);
        containers["k:{\"name\":\"app\"}"]!["."].ShouldNotBeNull("the item itself is owned, as kube-apiserver writes it");
    }

    [Fact]
    public async Task ServerSideApply_CustomResourceFieldNoLongerApplied_IsRemoved()
    {
        (await Kubectl("apply", "-f", CrdFile)).Code.ShouldBe(0);
        const string Cluster = """
            apiVersion: doris.selectdb.com/v1
            kind: DorisCluster
            metadata: {name: dc}
            spec:
              feSpec: {image: "apache/doris:fe-2.1.8", replicas: 3{0}}
            """;
        (await ApplyAsync(Cluster.Replace("{0}", ", electionNumber: 3", StringComparison.Ordinal))).Code.ShouldBe(0);

        var second = await ApplyAsync(Cluster.Replace("{0}", string.Empty, StringComparison.Ordinal));

        second.Code.ShouldBe(0, second.Error);
        (await Kubectl("get", "dcr", "dc", "-o", "jsonpath={.spec.feSpec}")).Out.ShouldNotContain("electionNumber");
    }

    [Fact]
    public async Task ClientSideWrites_AreRecordedAsUpdatesOfTheirManager()
    {
        var file = await FileAsync("cm.yaml", ConfigMap("mode: blue"));
        (await Kubectl("apply", "-f", file)).Code.ShouldBe(0);
        (await Kubectl("label", "cm", "settings", "tier=gold")).Code.ShouldBe(0);

        var cm = await GetAsync("cm", "settings");

        Managers(cm).ShouldBe(["kubectl-client-side-apply/Update", "kubectl-label/Update"]);
        FieldsOf(cm, "kubectl-label")!.ToJsonString().ShouldBe("""{"f:metadata":{"f:labels":{"f:tier":{}}}}""");
        (await Kubectl("get", "cm", "settings", "-o", "yaml")).Out.ShouldNotContain("managedFields", Case.Sensitive, "kubectl hides them unless asked");
    }

    [Fact]
    public async Task ServerSideApply_Unchanged_KeepsTheResourceVersion()
    {
        (await ApplyAsync(ConfigMap("mode: blue"))).Code.ShouldBe(0);
        var before = (await Kubectl("get", "cm", "settings", "-o", "jsonpath={.metadata.resourceVersion}")).Out;

        (await ApplyAsync(ConfigMap("mode: blue"))).Code.ShouldBe(0);

        (await Kubectl("get", "cm", "settings", "-o", "jsonpath={.metadata.resourceVersion}")).Out.ShouldBe(before);
    }
}
