using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;
using Doris.Testing;

namespace Doris.Kubernetes.Emulator.Tests;

public sealed class ObjectStoreTests
{
    private static readonly ResourceType ConfigMaps = new(string.Empty, "v1", "ConfigMap", "configmaps", "configmap", true, false, ["cm"]);
    private static readonly ResourceType StatefulSets = new("apps", "v1", "StatefulSet", "statefulsets", "statefulset", true, true, ["sts"]);
    private static readonly ResourceType Nodes = new(string.Empty, "v1", "Node", "nodes", "node", false, true, ["no"]);

    private readonly ObjectStore _store = new(new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)));

    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static string Rv(JsonObject o) => (string)o["metadata"]!["resourceVersion"]!;

    private static JsonObject Named(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name } };

    private JsonObject Sts(string name, int replicas = 1, string? owner = null, string labels = "{}")
    {
        var obj = Named(name);
        obj["metadata"]!["labels"] = JsonNode.Parse(labels);
        if (owner is not null)
        {
            obj["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = "o", ["uid"] = owner });
        }

        obj["spec"] = new JsonObject { ["replicas"] = replicas };
        return _store.Create(StatefulSets, "ns", obj);
    }

    // kubectl get sts -A --chunk-size=1: pages that end at a namespace boundary must not skip the next namespace.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void List_ClusterWidePages_AcrossNamespaces_ReturnEveryObjectOnce(int limit)
    {
        foreach (var (ns, name) in new[] { ("a", "x"), ("a", "y"), ("b", "x"), ("b", "z"), ("c", "a"), ("d", "m"), ("d", "n"), ("e", "q") })
        {
            _store.Create(ConfigMaps, ns, Named(name));
        }

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = _store.List(ConfigMaps, null, LabelSelector.Everything, null, limit, token);
            seen.AddRange(page.Items.Select(i => $"{i["metadata"]!["namespace"]}/{i["metadata"]!["name"]}"));
            token = page.Continue;
        }
        while (token is not null);

        seen.ShouldBe(["a/x", "a/y", "b/x", "b/z", "c/a", "d/m", "d/n", "e/q"]);
    }

    [Fact]
    public void Update_StatefulSetFixedField_IsRefusedLikeTheApiServer_ReplicasAndTemplateAreNot()
    {
        var sts = Sts("web", labels: "{}");
        sts["spec"]!["serviceName"] = "web";
        sts["spec"]!["replicas"] = 3;

        var error = Should.Throw<ApiError>(() => _store.Update(StatefulSets, "ns", "web", sts, statusSubresource: false));

        error.Code.ShouldBe(422);
        error.Message.ShouldContain("updates to statefulset spec for fields other than 'replicas'");
        sts["spec"]!.AsObject().Remove("serviceName");
        _store.Update(StatefulSets, "ns", "web", sts, statusSubresource: false)["spec"]!["replicas"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public void Create_WithOnlyVanishedOwners_IsGarbageCollectedAtOnce()
    {
        Sts("orphan", owner: Guid.NewGuid().ToString());

        Should.Throw<ApiError>(() => _store.Get(StatefulSets, "ns", "orphan")).Code.ShouldBe(404);
    }

    [Fact]
    public void Create_SetsSystemFieldsAndAGlobalResourceVersion()
    {
        var a = _store.Create(ConfigMaps, "ns", Obj("""{"metadata":{"name":"a"},"data":{"k":"v"}}"""));
        var b = _store.Create(ConfigMaps, "ns", Obj("""{"metadata":{"name":"b"}}"""));

        ((string)a["apiVersion"]!).ShouldBe("v1");
        ((string)a["kind"]!).ShouldBe("ConfigMap");
        ((string)a["metadata"]!["namespace"]!).ShouldBe("ns");
        ((string)a["metadata"]!["creationTimestamp"]!).ShouldBe("2026-11-22T12:00:00Z");
        Guid.TryParse((string)a["metadata"]!["uid"]!, out _).ShouldBeTrue();
        long.Parse(Rv(b)).ShouldBeGreaterThan(long.Parse(Rv(a)));
    }

    [Fact]
    public void Create_Twice_IsAlreadyExists() =>
        Should.Throw<ApiError>(() => { Sts("s"); Sts("s"); }).Reason.ShouldBe("AlreadyExists");

    [Theory]
    [InlineData("Bad_Name")]
    [InlineData("-leading")]
    public void Create_InvalidName_IsInvalidWithTheRealMessage(string name)
    {
        var e = Should.Throw<ApiError>(() => _store.Create(ConfigMaps, "ns", Named(name)));

        e.Code.ShouldBe(422);
        e.Message.ShouldContain("a lowercase RFC 1123 subdomain");
    }

    [Fact]
    public void Create_GenerateName_AppendsASuffix() =>
        ((string)_store.Create(ConfigMaps, "ns", Obj("""{"metadata":{"generateName":"run-"}}"""))["metadata"]!["name"]!).ShouldMatch("^run-[a-z0-9]{5}$");

    [Fact]
    public void Create_WrongKind_IsBadRequest() =>
        Should.Throw<ApiError>(() => _store.Create(ConfigMaps, "ns", Obj("""{"kind":"Secret","metadata":{"name":"a"}}"""))).Code.ShouldBe(400);

    [Fact]
    public void Update_SpecChangeBumpsGeneration_MetadataAndStatusDoNot()
    {
        var s = Sts("s");
        s["spec"]!["replicas"] = 3;
        var afterSpec = _store.Update(StatefulSets, "ns", "s", s, false);
        afterSpec["metadata"]!["labels"] = new JsonObject { ["a"] = "b" };
        var afterLabel = _store.Update(StatefulSets, "ns", "s", afterSpec, false);
        afterLabel["status"] = new JsonObject { ["replicas"] = 3 };
        var afterStatus = _store.Update(StatefulSets, "ns", "s", afterLabel, true);

        ((long)afterSpec["metadata"]!["generation"]!).ShouldBe(2);
        ((long)afterLabel["metadata"]!["generation"]!).ShouldBe(2);
        ((long)afterStatus["metadata"]!["generation"]!).ShouldBe(2);
        ((int)afterStatus["status"]!["replicas"]!).ShouldBe(3);
    }

    [Fact]
    public void Update_MainResourceIgnoresStatus_StatusSubresourceIgnoresSpec()
    {
        var s = Sts("s");
        s["status"] = new JsonObject { ["replicas"] = 9 };
        var main = _store.Update(StatefulSets, "ns", "s", s, false);
        main["status"].ShouldBeNull("status written through the main resource is ignored");
        main["spec"]!["replicas"] = 5;
        main["status"] = new JsonObject { ["replicas"] = 1 };
        var status = _store.Update(StatefulSets, "ns", "s", main, true);

        ((int)status["spec"]!["replicas"]!).ShouldBe(1, "the status subresource does not change spec");
        ((int)status["status"]!["replicas"]!).ShouldBe(1);
    }

    [Fact]
    public void Update_StaleResourceVersion_IsConflict()
    {
        var s = Sts("s");
        var stale = (JsonObject)s.DeepClone();
        s["spec"]!["replicas"] = 2;
        _store.Update(StatefulSets, "ns", "s", s, false);
        stale["spec"]!["replicas"] = 7;

        var e = Should.Throw<ApiError>(() => _store.Update(StatefulSets, "ns", "s", stale, false));

        e.Code.ShouldBe(409);
        e.Reason.ShouldBe("Conflict");
        e.ToStatus()["details"]!["kind"]!.GetValue<string>().ShouldBe("statefulsets");
    }

    [Fact]
    public async Task Update_NoOp_KeepsResourceVersionAndEmitsNoEvent()
    {
        var s = Sts("s");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var events = _store.Watch(StatefulSets, "ns", LabelSelector.Everything, long.Parse(Rv(s)), false, cts.Token).GetAsyncEnumerator(cts.Token);

        var same = _store.Update(StatefulSets, "ns", "s", s, false);
        s["spec"]!["replicas"] = 4;
        _store.Update(StatefulSets, "ns", "s", s, false);

        Rv(same).ShouldBe(Rv(s));
        (await events.MoveNextAsync()).ShouldBeTrue();
        events.Current.Type.ShouldBe("MODIFIED");
        ((int)events.Current.Object["spec"]!["replicas"]!).ShouldBe(4, "the no-op produced no event before this one");
        await events.DisposeAsync();
    }

    [Fact]
    public void Delete_WithFinalizer_SetsDeletionTimestampUntilTheFinalizerGoes()
    {
        var cm = _store.Create(ConfigMaps, "ns", Obj("""{"metadata":{"name":"f","finalizers":["example.com/hold"]}}"""));

        var marked = _store.Delete(ConfigMaps, "ns", "f", null);
        marked["metadata"]!["deletionTimestamp"].ShouldNotBeNull();
        _store.Get(ConfigMaps, "ns", "f").ShouldNotBeNull();
        marked["metadata"]!["finalizers"] = new JsonArray();
        _store.Update(ConfigMaps, "ns", "f", marked, false);

        Should.Throw<ApiError>(() => _store.Get(ConfigMaps, "ns", "f")).Reason.ShouldBe("NotFound");
        cm.ShouldNotBeNull();
    }

    [Fact]
    public void Delete_Background_GarbageCollectsDependents()
    {
        var owner = _store.Create(ConfigMaps, "ns", Obj("""{"metadata":{"name":"o"}}"""));
        Sts("child", owner: (string)owner["metadata"]!["uid"]!);

        _store.Delete(ConfigMaps, "ns", "o", "Background");

        Should.Throw<ApiError>(() => _store.Get(StatefulSets, "ns", "child")).Reason.ShouldBe("NotFound");
    }

    [Fact]
    public void Delete_Foreground_OwnerStaysUntilDependentsAreGone()
    {
        var owner = _store.Create(ConfigMaps, "ns", Obj("""{"metadata":{"name":"o"}}"""));
        var uid = (string)owner["metadata"]!["uid"]!;
        var child = Sts("child", owner: uid);
        child["metadata"]!["finalizers"] = new JsonArray("example.com/slow");
        _store.Update(StatefulSets, "ns", "child", child, false);

        _store.Delete(ConfigMaps, "ns", "o", "Foreground");
        var waiting = _store.Get(ConfigMaps, "ns", "o");
        waiting["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f).ShouldContain("foregroundDeletion");
        var dying = _store.Get(StatefulSets, "ns", "child");
        dying["metadata"]!["finalizers"] = new JsonArray();
        _store.Update(StatefulSets, "ns", "child", dying, false);

        Should.Throw<ApiError>(() => _store.Get(ConfigMaps, "ns", "o")).Reason.ShouldBe("NotFound");
    }

    [Fact]
    public void Delete_Orphan_KeepsDependentsWithoutTheOwnerReference()
    {
        var owner = _store.Create(ConfigMaps, "ns", Obj("""{"metadata":{"name":"o"}}"""));
        Sts("child", owner: (string)owner["metadata"]!["uid"]!);

        _store.Delete(ConfigMaps, "ns", "o", "Orphan");

        _store.Get(StatefulSets, "ns", "child")["metadata"]!["ownerReferences"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public void List_LabelAndFieldSelectorsAndPages()
    {
        for (var i = 0; i < 5; i++)
        {
            Sts($"s{i}", labels: i % 2 == 0 ? """{"tier":"be"}""" : """{"tier":"fe"}""");
        }

        _store.List(StatefulSets, "ns", LabelSelector.Parse("tier=be"), null, null, null).Items.Count.ShouldBe(3);
        _store.List(StatefulSets, "ns", LabelSelector.Parse("tier in (fe, be),tier!=fe"), null, null, null).Items.Count.ShouldBe(3);
        _store.List(StatefulSets, "ns", LabelSelector.Everything, "metadata.name=s3", null, null).Items.ShouldHaveSingleItem();
        _store.List(StatefulSets, null, LabelSelector.Everything, null, null, null).Items.Count.ShouldBe(5, "all namespaces");

        var first = _store.List(StatefulSets, "ns", LabelSelector.Everything, null, 2, null);
        var second = _store.List(StatefulSets, "ns", LabelSelector.Everything, null, 2, first.Continue);
        var third = _store.List(StatefulSets, "ns", LabelSelector.Everything, null, 2, second.Continue);
        first.Items.Concat(second.Items).Concat(third.Items).Select(o => (string)o["metadata"]!["name"]!).ShouldBe(["s0", "s1", "s2", "s3", "s4"]);
        third.Continue.ShouldBeNull();
    }

    [Theory]
    [InlineData("tier in (a")]
    [InlineData("bad key=x")]
    public void List_BadLabelSelector_IsBadRequest(string selector) =>
        Should.Throw<ApiError>(() => LabelSelector.Parse(selector)).Code.ShouldBe(400);

    [Fact]
    public void List_UnsupportedFieldSelector_IsBadRequest() =>
        Should.Throw<ApiError>(() => _store.List(ConfigMaps, "ns", LabelSelector.Everything, "spec.nodeName=x", null, null)).Message.ShouldContain("field label not supported");

    [Fact]
    public async Task Watch_FromAResourceVersion_ReplaysWithoutGapsOrDuplicates()
    {
        var a = Sts("a");
        Sts("b");
        var list = _store.List(StatefulSets, "ns", LabelSelector.Everything, null, null, null);
        Sts("c");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        var events = new List<StoredEvent>();
        await foreach (var e in _store.Watch(StatefulSets, "ns", LabelSelector.Everything, list.ResourceVersion, false, cts.Token))
        {
            events.Add(e);
            if (events.Count == 1)
            {
                a["spec"]!["replicas"] = 2;
                _store.Update(StatefulSets, "ns", "a", a, false);
                _store.Delete(StatefulSets, "ns", "b", null);
            }

            if (events.Count == 3)
            {
                break;
            }
        }

        events.Select(e => $"{e.Type} {e.Object["metadata"]!["name"]}").ShouldBe(["ADDED c", "MODIFIED a", "DELETED b"]);
        events.Select(e => e.ResourceVersion).ShouldBeInOrder();
    }

    [Fact]
    public async Task Watch_SendInitialEvents_ListsThenBookmarksTheEnd()
    {
        Sts("a");
        Sts("b");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        var events = new List<StoredEvent>();
        await foreach (var e in _store.Watch(StatefulSets, "ns", LabelSelector.Everything, null, true, cts.Token))
        {
            events.Add(e);
            if (e.Type == "BOOKMARK")
            {
                break;
            }
        }

        events.Select(e => e.Type).ShouldBe(["ADDED", "ADDED", "BOOKMARK"]);
        ((string)events[2].Object["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!).ShouldBe("true");
    }

    [Fact]
    public async Task Watch_LabelSelector_ObjectLeavingTheSelectionIsDeleted()
    {
        var s = Sts("s", labels: """{"tier":"be"}""");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var events = _store.Watch(StatefulSets, "ns", LabelSelector.Parse("tier=be"), long.Parse(Rv(s)), false, cts.Token).GetAsyncEnumerator(cts.Token);

        s["metadata"]!["labels"] = new JsonObject { ["tier"] = "fe" };
        _store.Update(StatefulSets, "ns", "s", s, false);

        (await events.MoveNextAsync()).ShouldBeTrue();
        events.Current.Type.ShouldBe("DELETED");
        await events.DisposeAsync();
    }

    [Fact]
    public void Watch_FromACompactedVersion_IsGone()
    {
        var small = new ObjectStore(TimeProvider.System, compactionWindow: 3);
        var first = small.Create(ConfigMaps, "ns", Obj("""{"metadata":{"name":"a"}}"""));
        for (var i = 0; i < 5; i++)
        {
            small.Create(ConfigMaps, "ns", Named($"b{i}"));
        }

        var e = Should.Throw<ApiError>(() => small.Watch(ConfigMaps, "ns", LabelSelector.Everything, long.Parse(Rv(first)), false, default));

        e.Code.ShouldBe(410);
        e.Message.ShouldStartWith("too old resource version");
    }

    [Fact]
    public void ExpireResourceVersions_MakesOldVersionsAndContinueTokensGone()
    {
        var a = Sts("a");
        Sts("b");
        var page = _store.List(StatefulSets, "ns", LabelSelector.Everything, null, 1, null);

        _store.ExpireResourceVersions();

        Should.Throw<ApiError>(() => _store.Watch(StatefulSets, "ns", LabelSelector.Everything, long.Parse(Rv(a)), false, default)).Code.ShouldBe(410);
        Should.Throw<ApiError>(() => _store.List(StatefulSets, "ns", LabelSelector.Everything, null, 1, page.Continue)).Code.ShouldBe(410);
    }

    [Fact]
    public async Task DropWatches_EndsOpenWatches()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var watch = _store.Watch(Nodes, null, LabelSelector.Everything, _store.CurrentResourceVersion, false, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync();

        _store.DropWatches();

        (await next).ShouldBeFalse();
        await watch.DisposeAsync();
    }

    [Fact]
    public void ClusterScoped_IgnoresNamespace() =>
        _store.Create(Nodes, null, Obj("""{"metadata":{"name":"n1","namespace":"x"}}"""))["metadata"]!["namespace"].ShouldBeNull();
}
