using System.Text.Json.Nodes;
using Doris.Testing;

namespace Doris.Kubernetes.Emulator.Tests;

public sealed class HttpApiTests
{
    private const string ConfigMap = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}""";

    [Fact]
    public async Task NotFound_IsAStatusBodyLikeTheRealServer()
    {
        await using var e = await EmulatorFixture.StartAsync();

        using var response = await e.Http.GetAsync("/apis/apps/v1/namespaces/default/statefulsets/missing");

        ((int)response.StatusCode).ShouldBe(404);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"statefulsets.apps \"missing\" not found","reason":"NotFound","details":{"name":"missing","group":"apps","kind":"statefulsets"},"code":404}""");
    }

    [Fact]
    public async Task CreateTwice_IsAlreadyExists_AndStaleUpdateIsConflict()
    {
        await using var e = await EmulatorFixture.StartAsync();
        var (created, first) = await e.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap);
        var (again, exists) = await e.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap);
        var stale = first!.DeepClone();
        stale["metadata"]!["resourceVersion"] = "1";

        var (conflict, status) = await e.SendAsync(HttpMethod.Put, "/api/v1/namespaces/default/configmaps/c", stale.ToJsonString());

        created.ShouldBe(201);
        again.ShouldBe(409);
        ((string?)exists!["reason"]).ShouldBe("AlreadyExists");
        conflict.ShouldBe(409);
        ((string?)status!["reason"]).ShouldBe("Conflict");
    }

    [Theory]
    [InlineData("{not json", 400, "BadRequest")]
    [InlineData("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"c"}}""", 400, "BadRequest")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Not_DNS"}}""", 422, "Invalid")]
    public async Task BadBodies_GetTheRealCodesAndReasons(string body, int code, string reason)
    {
        await using var e = await EmulatorFixture.StartAsync();

        var (status, error) = await e.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", body);

        status.ShouldBe(code);
        ((string?)error!["reason"]).ShouldBe(reason);
    }

    [Fact]
    public async Task OversizedBody_IsRequestEntityTooLarge()
    {
        await using var e = await EmulatorFixture.StartAsync();
        var big = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"a":"PAD"}}""".Replace("PAD", new string('x', 3_200_000), StringComparison.Ordinal);

        (await e.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", big)).Code.ShouldBe(413);
    }

    [Fact]
    public async Task Patches_MergeAndJson()
    {
        await using var e = await EmulatorFixture.StartAsync();
        await e.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap);

        var (_, merged) = await e.SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/c", """{"data":{"a":null,"b":"2"}}""", "application/merge-patch+json");
        var (_, patched) = await e.SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/c", """[{"op":"add","path":"/data/c","value":"3"},{"op":"test","path":"/data/b","value":"2"}]""", "application/json-patch+json");
        var (failed, _) = await e.SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/c", """[{"op":"test","path":"/data/b","value":"9"}]""", "application/json-patch+json");

        merged!["data"]!.ToJsonString().ShouldBe("""{"b":"2"}""");
        patched!["data"]!.ToJsonString().ShouldBe("""{"b":"2","c":"3"}""");
        failed.ShouldBe(422);
    }

    [Fact]
    public async Task FailNext_AnswersWithTheCodeAndRetryAfter()
    {
        await using var e = await EmulatorFixture.StartAsync();
        e.Server.Faults.FailNext("GET", 1, 429, TimeSpan.FromSeconds(2));

        using var first = await e.Http.GetAsync("/api/v1/namespaces/default/configmaps");
        using var second = await e.Http.GetAsync("/api/v1/namespaces/default/configmaps");

        ((int)first.StatusCode).ShouldBe(429);
        first.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(2));
        ((int)second.StatusCode).ShouldBe(200);
    }

    [Fact]
    public async Task Watch_TooOldVersion_IsAnInStreamErrorEvent()
    {
        await using var e = await EmulatorFixture.StartAsync();
        await e.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap);
        e.Server.Store.ExpireResourceVersions();

        var text = await e.Http.GetStringAsync("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1");

        var line = JsonNode.Parse(text.Split('\n')[0])!;
        ((string?)line["type"]).ShouldBe("ERROR");
        ((int?)line["object"]!["code"]).ShouldBe(410);
    }

    [Fact]
    public async Task Watch_StreamsEventsAndBookmarks()
    {
        await using var e = await EmulatorFixture.StartAsync();
        var (_, list) = await e.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps");
        var rv = (string)list!["metadata"]!["resourceVersion"]!;
        using var stream = new StreamReader(await e.Http.GetStreamAsync($"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}&allowWatchBookmarks=true"));

        await e.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap);
        var types = new List<string>();
        while (!(types.Contains("ADDED") && types.Contains("BOOKMARK")) && types.Count < 20)
        {
            types.Add((string)JsonNode.Parse((await stream.ReadLineAsync())!)!["type"]!);
        }

        types.ShouldContain("ADDED");
        types.ShouldContain("BOOKMARK", "bookmarks arrive while the watch is idle");
    }

    [Fact]
    public async Task Crd_OnceCreated_ItsResourceIsServedAndDiscoverable()
    {
        await using var e = await EmulatorFixture.StartAsync();
        var crd = System.Text.Json.JsonSerializer.SerializeToNode(Api.Crd.DorisClusterCrd.Build(), Serialization.KubernetesJsonContext.Default.CustomResourceDefinition)!;

        (await e.SendAsync(HttpMethod.Get, "/apis/doris.selectdb.com/v1")).Code.ShouldBe(404);
        (await e.SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd.ToJsonString())).Code.ShouldBe(201);
        var (_, resources) = await e.SendAsync(HttpMethod.Get, "/apis/doris.selectdb.com/v1");

        resources!["resources"]!.AsArray().Select(r => (string?)r!["name"]).ShouldBe(["dorisclusters", "dorisclusters/status", "dorisclusters/scale"]);
        (await e.SendAsync(HttpMethod.Post, "/apis/doris.selectdb.com/v1/namespaces/default/dorisclusters", """{"apiVersion":"doris.selectdb.com/v1","kind":"DorisCluster","metadata":{"name":"d"},"spec":{"feSpec":{"image":"i","replicas":"three"}}}""")).Code.ShouldBe(422);
    }

    [Fact]
    public async Task ScaleSubresource_Get_ReadsReplicasAndSelectorFromTheCrdPaths()
    {
        await using var e = await EmulatorFixture.StartAsync();
        var crd = System.Text.Json.JsonSerializer.SerializeToNode(Api.Crd.DorisClusterCrd.Build(), Serialization.KubernetesJsonContext.Default.CustomResourceDefinition)!;
        await e.SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd.ToJsonString());
        const string path = "/apis/doris.selectdb.com/v1/namespaces/default/dorisclusters";
        await e.SendAsync(HttpMethod.Post, path, """{"apiVersion":"doris.selectdb.com/v1","kind":"DorisCluster","metadata":{"name":"d"},"spec":{"feSpec":{"image":"i"},"cnSpec":{"image":"c","replicas":4}}}""");
        var (_, cluster) = await e.SendAsync(HttpMethod.Get, path + "/d");
        cluster!["status"] = JsonNode.Parse("""{"cnStatus":{"replicas":3,"selector":"app.kubernetes.io/component=cn","componentCondition":{"subResourceName":"d-cn","phase":"available","lastTransitionTime":"2026-01-01T00:00:00Z","reason":"","message":""}}}""");
        var put = await e.SendAsync(HttpMethod.Put, path + "/d/status", cluster.ToJsonString());
        put.Code.ShouldBe(200, put.Body?.ToJsonString());

        var (code, scale) = await e.SendAsync(HttpMethod.Get, path + "/d/scale");

        code.ShouldBe(200);
        ((string?)scale!["kind"], (string?)scale["apiVersion"]).ShouldBe(("Scale", "autoscaling/v1"));
        ((int)scale["spec"]!["replicas"]!, (int)scale["status"]!["replicas"]!, (string?)scale["status"]!["selector"]).ShouldBe((4, 3, "app.kubernetes.io/component=cn"));
        (await e.SendAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/default/statefulsets/x/scale")).Code.ShouldBe(404, "only CRDs that declare it have a scale subresource here");
    }

    [Fact]
    public async Task OpenApiV3_BuiltInSchemasOnlyUseFieldsTheKubernetesSchemaKnows()
    {
        await using var e = await EmulatorFixture.StartAsync();
        var swagger = JsonNode.Parse(await File.ReadAllTextAsync(SharedFiles.Reference("kubernetes", "swagger.json")))!["definitions"]!.AsObject();
        var (_, index) = await e.SendAsync(HttpMethod.Get, "/openapi/v3");
        var url = (string)index!["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!;

        var (_, doc) = await e.SendAsync(HttpMethod.Get, url);

        var ours = doc!["components"]!["schemas"]!["apps.v1.StatefulSet"]!;
        var theirs = swagger["io.k8s.api.apps.v1.StatefulSet"]!;
        Paths(ours, null).Count.ShouldBeGreaterThan(500);
        Paths(ours, null).Except(Paths(theirs, swagger)).ShouldBeEmpty();
        doc["paths"]!["/apis/apps/v1/namespaces/{namespace}/statefulsets/{name}"]!["patch"]!["parameters"]!.AsArray().Select(p => (string?)p!["name"]).ShouldContain("fieldValidation");
    }

    /// <summary>Property paths of a schema, following $ref into the swagger definitions, to a bounded depth.</summary>
    private static HashSet<string> Paths(JsonNode schema, JsonObject? definitions)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonNode node, string path, int depth)
        {
            if (depth > 12)
            {
                return;
            }

            if (node["$ref"] is JsonValue r && definitions is not null)
            {
                node = definitions[((string)r!).Split('/')[^1]]!;
            }

            foreach (var (k, child) in node["properties"] as JsonObject ?? [])
            {
                result.Add(path + "." + k);
                Walk(child!, path + "." + k, depth + 1);
            }

            if (node["items"] is JsonObject items)
            {
                Walk(items, path + "[]", depth + 1);
            }

            if (node["additionalProperties"] is JsonObject additional)
            {
                Walk(additional, path + "{}", depth + 1);
            }
        }

        Walk(schema, string.Empty, 0);
        return result;
    }

    // Issue 14: the same 70-byte alias in an unauthenticated-looking YAML body used to kill the server.
    [Fact]
    public async Task YamlBody_SelfReferencingAlias_IsBadRequestAndTheServerLivesOn()
    {
        await using var e = await EmulatorFixture.StartAsync();

        var (code, status) = await e.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "a: &m\n  b: *m\n", "application/yaml");

        code.ShouldBe(400);
        ((string?)status!["message"] ?? string.Empty).ShouldContain("an alias refers to a node that contains it");
        (await e.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps")).Code.ShouldBe(200);
    }
}
