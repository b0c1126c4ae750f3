using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Doris.Testing;

namespace Doris.Kubernetes.Emulator.Tests;

/// <summary>
/// Requests a careless or hostile client sends: each is a 4xx Status with a message, nothing is half-applied, and
/// the server keeps serving everyone else.
/// </summary>
public sealed class HostileRequestTests
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
    private const string ConfigMap = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}""";

    [Fact]
    public async Task Delete_UnknownPropagationPolicy_Is400AndDeletesNothing()
    {
        await using var e = await EmulatorFixture.StartAsync();
        await e.SendAsync(HttpMethod.Post, ConfigMaps, ConfigMap);

        var (code, status) = await e.SendAsync(HttpMethod.Delete, ConfigMaps + "/c", """{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Sideways"}""");
        var (queryCode, _) = await e.SendAsync(HttpMethod.Delete, ConfigMaps + "/c?propagationPolicy=42");

        code.ShouldBe(400);
        ((string)status!["message"]!).ShouldContain("propagationPolicy: Unsupported value: \"Sideways\"");
        queryCode.ShouldBe(400);
        (await e.SendAsync(HttpMethod.Get, ConfigMaps + "/c")).Code.ShouldBe(200, "still there");
    }

    [Theory]
    [InlineData("""[{"apiVersion":"v1","kind":"Pod","name":"p"}]""", "metadata.ownerReferences[0].uid: Required value")]
    [InlineData("""["not-an-object"]""", "metadata.ownerReferences[0]: Invalid value")]
    [InlineData("""{"uid":"u"}""", "metadata.ownerReferences: Invalid value: must be a list")]
    [InlineData("""[{"apiVersion":"v1","kind":"Pod","name":"p","uid":"u","controller":"yes"}]""", "controller: Invalid value")]
    public async Task Create_BadOwnerReferences_Is422AndCreatesNothing(string owners, string message)
    {
        await using var e = await EmulatorFixture.StartAsync();

        var (code, status) = await e.SendAsync(HttpMethod.Post, ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","ownerReferences":""" + owners + "}}");

        code.ShouldBe(422);
        ((string)status!["message"]!).ShouldContain(message);
        (await e.SendAsync(HttpMethod.Get, ConfigMaps + "/c")).Code.ShouldBe(404, "nothing created");
    }

    [Fact]
    public async Task DeeplyNestedObject_AtTheLimitIsListedAndWatched_BeyondItIs400()
    {
        await using var e = await EmulatorFixture.StartAsync();
        static string Nested(int levels) => """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep","annotations":{"x":"y"}},"binaryData":{},"data":{},"extra":""" + string.Concat(Enumerable.Repeat("[", levels)) + string.Concat(Enumerable.Repeat("]", levels)) + "}";

        var (tooDeep, status) = await e.SendAsync(HttpMethod.Post, ConfigMaps, Nested(100));
        var (accepted, _) = await e.SendAsync(HttpMethod.Post, ConfigMaps, Nested(60));
        var (listed, list) = await e.SendAsync(HttpMethod.Get, ConfigMaps);
        using var watch = await e.Http.GetAsync(ConfigMaps + "?watch=true&timeoutSeconds=1");

        tooDeep.ShouldBe(400);
        ((string)status!["message"]!).ShouldContain("couldn't parse the request body");
        accepted.ShouldBe(201);
        listed.ShouldBe(200, "one deep object must not break the list of its kind");
        list!["items"]!.AsArray().Count.ShouldBe(1);
        ((int)watch.StatusCode).ShouldBe(200);
        (await watch.Content.ReadAsStringAsync()).ShouldContain("\"ADDED\"");
    }

    [Fact]
    public async Task JsonPatch_TopLevelField_IsReplaced()
    {
        await using var e = await EmulatorFixture.StartAsync();
        await e.SendAsync(HttpMethod.Post, ConfigMaps, ConfigMap);

        var (code, patched) = await e.SendAsync(HttpMethod.Patch, ConfigMaps + "/c", """[{"op":"replace","path":"/data","value":{"b":"2"}},{"op":"add","path":"/binaryData","value":{}}]""", "application/json-patch+json");

        code.ShouldBe(200);
        patched!["data"]!.ToJsonString().ShouldBe("""{"b":"2"}""");
        patched["binaryData"].ShouldNotBeNull();
    }

    // 2.4 KB of doubling copies would make 2^40 copies of a string: refused at the size limit, object unchanged.
    [Fact]
    public async Task JsonPatch_CopyBomb_Is413AndChangesNothing()
    {
        await using var e = await EmulatorFixture.StartAsync();
        await e.SendAsync(HttpMethod.Post, ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"},"binaryData":{}}""");
        var ops = new JsonArray { new JsonObject { ["op"] = "add", ["path"] = "/metadata/annotations", ["value"] = new JsonObject { ["k"] = new JsonArray(new string('x', 64)) } } };
        for (var i = 0; i < 40; i++)
        {
            ops.Add(new JsonObject { ["op"] = "copy", ["from"] = "/metadata/annotations/k", ["path"] = "/metadata/annotations/k/-" });
        }

        var started = GC.GetTotalMemory(false);
        var (code, status) = await e.SendAsync(HttpMethod.Patch, ConfigMaps + "/c", ops.ToJsonString(), "application/json-patch+json");

        code.ShouldBe(413);
        ((string)status!["message"]!).ShouldContain("would exceed");
        (GC.GetTotalMemory(false) - started).ShouldBeLessThan(256L * 1024 * 1024, "refused as it grew, not after");
        (await e.SendAsync(HttpMethod.Get, ConfigMaps + "/c")).Body!["metadata"]!["annotations"].ShouldBeNull();
    }

    [Fact]
    public async Task ConcurrentMergePatches_WithoutAPrecondition_NeverConflict()
    {
        await using var e = await EmulatorFixture.StartAsync();
        await e.SendAsync(HttpMethod.Post, ConfigMaps, ConfigMap);
        const int Patches = 10_000;
        var codes = new int[Patches];

        await Parallel.ForAsync(0, Patches, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            codes[i] = (await e.SendAsync(HttpMethod.Patch, ConfigMaps + "/c", "{\"data\":{\"k" + (i % 50) + "\":\"" + i + "\"}}", "application/merge-patch+json")).Code);

        codes.Count(c => c == 409).ShouldBe(0, "a patch without a resourceVersion never asked for a conflict");
        codes.ShouldAllBe(c => c == 200);
        var (_, final) = await e.SendAsync(HttpMethod.Get, ConfigMaps + "/c");
        final!["data"]!.AsObject().Count.ShouldBe(51);
        long.Parse((string)final["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(Patches);
    }

    [Fact]
    public async Task MergePatch_StaleResourceVersion_StillConflicts()
    {
        await using var e = await EmulatorFixture.StartAsync();
        await e.SendAsync(HttpMethod.Post, ConfigMaps, ConfigMap);

        var (code, _) = await e.SendAsync(HttpMethod.Patch, ConfigMaps + "/c", """{"metadata":{"resourceVersion":"1"},"data":{"b":"2"}}""", "application/merge-patch+json");

        code.ShouldBe(409, "a patch that names a version asked for the check");
    }

    // kube-apiserver closes a watcher whose buffer fills; the client re-lists. Memory stays bounded meanwhile.
    [Fact]
    public async Task Watcher_ThatNeverReads_IsCutOffAtItsBuffer()
    {
        await using var e = await EmulatorFixture.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All, WatchBuffer = 50 });
        await e.SendAsync(HttpMethod.Post, ConfigMaps, ConfigMap);
        using var stalled = await e.Http.GetAsync(ConfigMaps + "?watch=true&resourceVersion=1", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await stalled.Content.ReadAsStreamAsync(); // never read

        // Big events, so the socket buffers fill and the rest queue in the server.
        var value = new string('v', 64 * 1024);
        for (var i = 0; i < 400 && e.Server.Store.SlowWatchersCut == 0; i++)
        {
            (await e.SendAsync(HttpMethod.Patch, ConfigMaps + "/c", "{\"data\":{\"a\":\"" + value + i + "\"}}", "application/merge-patch+json")).Code.ShouldBe(200);
        }

        e.Server.Store.SlowWatchersCut.ShouldBe(1);
        e.Server.Store.OpenWatches.ShouldBe(0);
        (await e.SendAsync(HttpMethod.Get, ConfigMaps + "/c")).Code.ShouldBe(200, "everyone else is still served");
    }

    // managedFields are writable by clients: corrupt field keys in them must not break a later apply (no 500). They
    // never get stored: every write keeps only entries for fields the object has.
    [Fact]
    public async Task ServerSideApply_AfterClientWroteCorruptManagedFields_StillApplies()
    {
        await using var e = await EmulatorFixture.StartAsync();
        const string Deployments = "/apis/apps/v1/namespaces/default/deployments";
        const string Body = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}""";
        (await e.SendAsync(HttpMethod.Post, Deployments, Body)).Code.ShouldBe(201);
        var (_, live) = await e.SendAsync(HttpMethod.Get, Deployments + "/web");
        live!["metadata"]!["managedFields"] = JsonNode.Parse("""[{"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{not json":{},"v:[[[":{},"k:[1]":{".":{}}}}}}}}]""");
        (await e.SendAsync(HttpMethod.Put, Deployments + "/web", live.ToJsonString())).Code.ShouldBe(200);

        var (code, applied) = await e.SendAsync(HttpMethod.Patch, Deployments + "/web?fieldManager=kubectl", Body.Replace("nginx", "nginx:2", StringComparison.Ordinal), "application/apply-patch+yaml");

        code.ShouldBe(200, applied?.ToJsonString());
        ((string?)applied!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]).ShouldBe("nginx:2");
    }

    // Protobuf reviews are read field by field: a truncated or foreign body is a 400, never a 500.
    [Theory]
    [InlineData(new byte[] { 0x6B, 0x38, 0x73, 0x00, 0x12, 0x7F, 0x01 })]
    [InlineData(new byte[] { 0x6B, 0x38, 0x73, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    [InlineData(new byte[] { 0x01, 0x02, 0x03 })]
    public async Task BrokenProtobuf_ReviewOrConfigMap_Is400(byte[] body)
    {
        await using var e = await EmulatorFixture.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = e.Server.Address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", e.Server.BearerToken);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/vnd.kubernetes.protobuf");

        using var response = await client.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", content);
        var again = new ByteArrayContent(body);
        again.Headers.ContentType = new("application/vnd.kubernetes.protobuf");
        using var configMap = await client.PostAsync("/api/v1/namespaces/default/configmaps", again);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        configMap.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await configMap.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_WithoutOrWithAWrongToken_Is401AndReadsNothing()
    {
        await using var e = await EmulatorFixture.StartAsync();
        using var anonymous = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = e.Server.Address };

        using var none = await anonymous.GetAsync(ConfigMaps);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", e.Server.BearerToken + "x");
        using var wrong = await anonymous.GetAsync(ConfigMaps);

        none.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("\"reason\":\"Unauthorized\"");
        e.Server.BearerToken.Length.ShouldBeGreaterThanOrEqualTo(40, "generated, not a fixed word");
    }

    // The eviction API honours PodDisruptionBudgets: 429 while the budget allows nothing, else it spends one.
    [Fact]
    public async Task Eviction_RespectsTheDisruptionBudget()
    {
        await using var e = await EmulatorFixture.StartAsync();
        foreach (var pod in new[] { "p1", "p2" })
        {
            (await e.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + pod + "\",\"labels\":{\"app\":\"be\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}")).Code.ShouldBe(201);
        }

        (await e.SendAsync(HttpMethod.Post, "/apis/policy/v1/namespaces/default/poddisruptionbudgets", """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"be"},"spec":{"maxUnavailable":1,"selector":{"matchLabels":{"app":"be"}}}}""")).Code.ShouldBe(201);
        var pdb = (await e.SendAsync(HttpMethod.Get, "/apis/policy/v1/namespaces/default/poddisruptionbudgets/be")).Body!;
        pdb["status"] = JsonNode.Parse("""{"disruptionsAllowed":1,"currentHealthy":2,"desiredHealthy":1,"expectedPods":2}""");
        (await e.SendAsync(HttpMethod.Put, "/apis/policy/v1/namespaces/default/poddisruptionbudgets/be/status", pdb.ToJsonString())).Code.ShouldBe(200);
        const string Eviction = """{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"NAME"}}""";

        var first = await e.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods/p1/eviction", Eviction.Replace("NAME", "p1", StringComparison.Ordinal));
        var second = await e.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods/p2/eviction", Eviction.Replace("NAME", "p2", StringComparison.Ordinal));

        first.Code.ShouldBe(201);
        (await e.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/p1")).Code.ShouldBe(404, "evicted");
        second.Code.ShouldBe(429, "the budget's one disruption is spent");
        ((string)second.Body!["message"]!).ShouldContain("would violate the pod's disruption budget");
        ((string)second.Body!["details"]!["causes"]![0]!["reason"]!).ShouldBe("DisruptionBudget");
        (await e.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/p2")).Code.ShouldBe(200);
    }
}
