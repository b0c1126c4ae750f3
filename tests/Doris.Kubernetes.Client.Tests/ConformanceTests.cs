using Doris.Kubernetes.Client.Auth;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Client.Http;
using Doris.Kubernetes.Emulator;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Kubernetes.Client.Tests;

/// <summary>Our client against our emulator, over HTTPS on loopback, for the behaviours controllers rely on.</summary>
public sealed class ConformanceTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private KubernetesClient _client = null!;

    private ResourceClient<StatefulSet> StatefulSets => _client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet);

    private ResourceClient<ConfigMap> ConfigMaps => _client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap);

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All, BookmarkInterval = TimeSpan.FromMilliseconds(300) }, TimeProvider.System, default);
        _client = new KubernetesClient(KubeConfigLoader.Parse(_server.Kubeconfig(), "emulator.kubeconfig", null, TimeProvider.System), new ClientOptions { InitialBackoff = TimeSpan.FromMilliseconds(10) });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static StatefulSet Sts(string name, int replicas = 1) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Metadata = new ObjectMeta { Name = name, Namespace = "doris", Labels = new Dictionary<string, string> { ["app"] = "doris" } },
        Spec = new StatefulSetSpec { Replicas = replicas, ServiceName = name },
    };

    private static ConfigMap Cm(string name, string? team = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "doris", Labels = team is null ? null : new Dictionary<string, string> { ["team"] = team } },
        Data = new Dictionary<string, string> { ["k"] = name },
    };

    [Fact]
    public async Task Crud_CreateGetReplaceStatus_WithGenerationAndResourceVersion()
    {
        var created = await StatefulSets.CreateAsync(Sts("be"));
        var updated = await StatefulSets.ReplaceAsync(created with { Spec = created.Spec! with { Replicas = 3 } });
        var withStatus = await StatefulSets.ReplaceStatusAsync(updated with { Status = new StatefulSetStatus { Replicas = 3, ReadyReplicas = 2 } });
        var read = await StatefulSets.GetAsync("doris", "be");

        created.Metadata!.Uid.ShouldNotBeNullOrEmpty();
        updated.Metadata!.Generation.ShouldBe(2);
        withStatus.Metadata!.Generation.ShouldBe(2, "a status write is not a spec change");
        read.Status!.ReadyReplicas.ShouldBe(2);
        read.Spec!.Replicas.ShouldBe(3);
    }

    [Fact]
    public async Task Errors_AreClassified()
    {
        var created = await StatefulSets.CreateAsync(Sts("be"));
        await StatefulSets.ReplaceAsync(created with { Spec = created.Spec! with { Replicas = 2 } });

        (await Should.ThrowAsync<KubernetesApiException>(() => StatefulSets.GetAsync("doris", "nope"))).IsNotFound.ShouldBeTrue();
        (await Should.ThrowAsync<KubernetesApiException>(() => StatefulSets.CreateAsync(Sts("be")))).IsAlreadyExists.ShouldBeTrue();
        var conflict = await Should.ThrowAsync<KubernetesApiException>(() => StatefulSets.ReplaceAsync(created with { Spec = created.Spec! with { Replicas = 5 } }));
        conflict.IsConflict.ShouldBeTrue();
        conflict.Status!.Details!.Name.ShouldBe("be");
    }

    [Fact]
    public async Task Find_AbsentOrPresent_NullOrTheObject_OtherFailuresStillThrow()
    {
        (await StatefulSets.FindAsync("doris", "nope")).ShouldBeNull();
        await StatefulSets.CreateAsync(Sts("be", replicas: 3));

        var found = await StatefulSets.FindAsync("doris", "be");

        found!.Spec!.Replicas.ShouldBe(3);
        found.Metadata!.Uid.ShouldNotBeNullOrEmpty();
        // Absence is the only answer it turns into null: a refused request is still an error.
        await using var secured = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All, BearerToken = "right" }, TimeProvider.System, default);
        using var refused = new KubernetesClient(KubeConfigLoader.Parse(secured.Kubeconfig(), "kc", null, TimeProvider.System) with { Credentials = new RotatingSource("wrong", "still-wrong") });
        var error = await Should.ThrowAsync<KubernetesApiException>(() => refused.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet).FindAsync("doris", "be"));
        error.Code.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task For_LazyContract_ResolvedOnTheFirstObjectOnly()
    {
        var resolved = 0;
        var lazy = _client.For(ResourceDescriptor.StatefulSets, () =>
        {
            Interlocked.Increment(ref resolved);
            return KubernetesJsonContext.Default.StatefulSet;
        });

        // An empty list and an absent object decode no object: the contract is not asked for.
        (await lazy.ListAsync("doris")).Items.ShouldBeEmpty();
        (await lazy.FindAsync("doris", "nope")).ShouldBeNull();
        resolved.ShouldBe(0);

        // The first object asks for it once; every later one reuses it.
        await lazy.CreateAsync(Sts("be", replicas: 2));
        (await lazy.ListAsync("doris")).Items.Single().Spec!.Replicas.ShouldBe(2);
        (await lazy.GetAsync("doris", "be")).Metadata!.Name.ShouldBe("be");
        resolved.ShouldBe(1);
    }

    [Fact]
    public async Task Replace_Unchanged_KeepsTheResourceVersion()
    {
        var created = await ConfigMaps.CreateAsync(Cm("same"));

        var again = await ConfigMaps.ReplaceAsync(created);

        again.Metadata!.ResourceVersion.ShouldBe(created.Metadata!.ResourceVersion);
    }

    [Fact]
    public async Task Watch_SendInitialEvents_StreamsTheCurrentObjectsThenTheEndBookmark()
    {
        await ConfigMaps.CreateAsync(Cm("one"));
        await ConfigMaps.CreateAsync(Cm("two"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var events = new List<WatchEvent<ConfigMap>>();
        await foreach (var e in ConfigMaps.WatchAsync("doris", null, sendInitialEvents: true, cancellationToken: cts.Token))
        {
            events.Add(e);
            if (e.Type == "BOOKMARK")
            {
                break;
            }
        }

        events.Select(e => e.Type).ShouldBe(["ADDED", "ADDED", "BOOKMARK"]);
        events[2].Object.Metadata!.Annotations!["k8s.io/initial-events-end"].ShouldBe("true");
    }

    [Fact]
    public async Task Patch_MergeJsonAndApply()
    {
        await ConfigMaps.CreateAsync(Cm("a"));

        var merged = await ConfigMaps.PatchAsync("doris", "a", PatchType.Merge, """{"data":{"extra":"1"}}""");
        var json = await ConfigMaps.PatchAsync("doris", "a", PatchType.Json, """[{"op":"remove","path":"/data/extra"}]""");
        var applied = await ConfigMaps.PatchAsync("doris", "new", PatchType.Apply, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"new","namespace":"doris"},"data":{"x":"y"}}""", "dorisctl");

        merged.Data!["extra"].ShouldBe("1");
        json.Data!.ContainsKey("extra").ShouldBeFalse();
        applied.Data!["x"].ShouldBe("y");
    }

    [Fact]
    public async Task List_SelectorsAndPagination()
    {
        for (var i = 0; i < 7; i++)
        {
            await ConfigMaps.CreateAsync(Cm($"cm{i}", i % 2 == 0 ? "bi" : "ml"));
        }

        (await ConfigMaps.ListAsync("doris", "team=bi")).Items.Count.ShouldBe(4);
        (await ConfigMaps.ListAsync("doris", fieldSelector: "metadata.name=cm3")).Items.ShouldHaveSingleItem();
        var page = await ConfigMaps.ListAsync("doris", limit: 3);
        page.Items.Count.ShouldBe(3);
        page.Continue.ShouldNotBeNull();
        (await ConfigMaps.ListAllAsync("doris", pageSize: 3)).Items.Select(c => c.Metadata!.Name).ShouldBe(["cm0", "cm1", "cm2", "cm3", "cm4", "cm5", "cm6"]);
    }

    [Fact]
    public async Task Delete_FinalizerHoldsUntilRemoved_AndOwnersCollectDependents()
    {
        var owner = await ConfigMaps.CreateAsync(Cm("owner"));
        await StatefulSets.CreateAsync(Sts("child") with { Metadata = Sts("child").Metadata! with { OwnerReferences = [new OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata!.Uid }] } });
        var held = await ConfigMaps.CreateAsync(Cm("held") with { Metadata = Cm("held").Metadata! with { Finalizers = ["example.com/hold"] } });

        await ConfigMaps.DeleteAsync("doris", "owner");
        await ConfigMaps.DeleteAsync("doris", "held");
        var marked = await ConfigMaps.GetAsync("doris", "held");
        await ConfigMaps.ReplaceAsync(marked with { Metadata = marked.Metadata! with { Finalizers = [] } });

        (await Should.ThrowAsync<KubernetesApiException>(() => StatefulSets.GetAsync("doris", "child"))).IsNotFound.ShouldBeTrue();
        marked.Metadata!.DeletionTimestamp.ShouldNotBeNull();
        (await Should.ThrowAsync<KubernetesApiException>(() => ConfigMaps.GetAsync("doris", "held"))).IsNotFound.ShouldBeTrue();
        held.ShouldNotBeNull();
    }

    [Fact]
    public async Task Watch_FromAListVersion_SeesEveryChangeOnce()
    {
        await ConfigMaps.CreateAsync(Cm("before"));
        var list = await ConfigMaps.ListAsync("doris");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<string>();
        var writer = Task.Run(async () =>
        {
            await Task.Delay(200);
            await ConfigMaps.CreateAsync(Cm("a"));
            await ConfigMaps.PatchAsync("doris", "a", PatchType.Merge, """{"data":{"k":"changed"}}""");
            await ConfigMaps.DeleteAsync("doris", "a");
        });

        await foreach (var e in ConfigMaps.WatchAsync("doris", list.ResourceVersion, cancellationToken: cts.Token))
        {
            if (e.Type != "BOOKMARK")
            {
                seen.Add($"{e.Type} {e.Object.Metadata!.Name}");
            }

            if (seen.Count == 3)
            {
                break;
            }
        }

        await writer;
        seen.ShouldBe(["ADDED a", "MODIFIED a", "DELETED a"]);
    }

    [Fact]
    public async Task ListWatcher_ResumesAfterDroppedWatchesWithoutLosingOrRepeatingEvents()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var watcher = new ListWatcher<ConfigMap>(ConfigMaps, "doris");
        var names = new List<string>();
        await foreach (var update in watcher.RunAsync(cts.Token))
        {
            if (update.Relisted)
            {
                _ = Task.Run(async () =>
                {
                    await ConfigMaps.CreateAsync(Cm("x1"));
                    await Task.Delay(300);
                    _server.Store.DropWatches();
                    await ConfigMaps.CreateAsync(Cm("x2"));
                    await Task.Delay(300);
                    _server.Store.DropWatches();
                    await ConfigMaps.CreateAsync(Cm("x3"));
                });
                continue;
            }

            if (update.Kind != ListWatchUpdateKind.Event)
            {
                continue; // the watch opening, bookmarks, the watch ending
            }

            names.Add(update.Event!.Object.Metadata!.Name!);
            if (names.Count == 3)
            {
                break;
            }
        }

        names.ShouldBe(["x1", "x2", "x3"]);
        watcher.Lists.ShouldBe(1, "a dropped watch resumes from the last version instead of listing again");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ListWatcher_RelistsWhenTheVersionExpired(bool httpGone)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var watcher = new ListWatcher<ConfigMap>(ConfigMaps, "doris");
        var lists = new List<IReadOnlyList<ConfigMap>>();
        await foreach (var update in watcher.RunAsync(cts.Token))
        {
            if (!update.Relisted)
            {
                continue;
            }

            lists.Add(update.Items);
            if (lists.Count == 2)
            {
                break;
            }

            await ConfigMaps.CreateAsync(Cm("during-outage"));
            if (httpGone)
            {
                _server.Faults.FailNext("GET", 1, 410);
            }
            else
            {
                _server.Store.ExpireResourceVersions();
            }

            _server.Store.DropWatches();
        }

        lists[1].Select(c => c.Metadata!.Name).ShouldContain("during-outage");
        watcher.Lists.ShouldBe(2);
    }

    [Fact]
    public async Task TooManyRequests_IsRetriedAfterRetryAfter()
    {
        _server.Faults.FailNext("GET", 2, 429, TimeSpan.FromMilliseconds(100));

        (await ConfigMaps.ListAsync("doris")).Items.ShouldBeEmpty();
        _client.Retries.ShouldBe(2);
    }

    [Fact]
    public async Task ServerErrors_GiveUpAfterTheRetryBudget()
    {
        using var client = new KubernetesClient(_client.Connection, new ClientOptions { MaxRetries = 2, InitialBackoff = TimeSpan.FromMilliseconds(5) });
        _server.Faults.FailNext("*", 10, 503);

        var e = await Should.ThrowAsync<KubernetesApiException>(() => client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap).ListAsync("doris"));

        e.Code.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable);
        client.Retries.ShouldBe(2);
    }

    [Fact]
    public async Task Unauthorized_RefreshesTheCredentialOnce()
    {
        await using var secured = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All, BearerToken = "fresh" }, TimeProvider.System, default);
        var source = new RotatingSource("stale", "fresh");
        var connection = KubeConfigLoader.Parse(secured.Kubeconfig(), "kc", null, TimeProvider.System) with { Credentials = source };
        using var client = new KubernetesClient(connection);

        (await client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap).ListAsync("doris")).Items.ShouldBeEmpty();
        source.Refreshes.ShouldBe(1);
    }

    [Fact]
    public async Task Tls_AServerOutsideTheKubeconfigCa_IsRefused()
    {
        await using var other = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All }, TimeProvider.System, default);
        using var client = new KubernetesClient(_client.Connection with { Server = other.Address });

        var e = await Should.ThrowAsync<KubernetesApiException>(() => client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap).ListAsync("doris"));

        e.Message.ShouldContain("the API server's certificate was refused: its certificate (issuer ");
        e.Message.ShouldContain("is not trusted by the kubeconfig's certificate-authority(-data)");
        e.Message.ShouldContain("set clusters[].cluster.certificate-authority-data to the CA that signed");
        e.Message.ShouldNotContain("does not name", Case.Sensitive, "the other server names 127.0.0.1 too: only the chain is wrong");
    }

    [Fact]
    public async Task Tls_ServerName_TheCertificateMustCarryIt_UnlessVerificationIsSkipped()
    {
        // tls-server-name is what the certificate must name (the server is reached at 127.0.0.1, which it also names).
        using var wrongName = new KubernetesClient(_client.Connection with { TlsServerName = "not-the-api-server.invalid" });
        var refused = await Should.ThrowAsync<KubernetesApiException>(() => wrongName.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap).ListAsync("doris"));
        refused.Message.ShouldContain("its certificate does not name clusters[].cluster.tls-server-name 'not-the-api-server.invalid' (it names ");
        refused.Message.ShouldContain("127.0.0.1");
        refused.Message.ShouldContain("set tls-server-name to one of those");
        refused.Message.ShouldNotContain("not trusted", Case.Sensitive, "the chain is the kubeconfig's own: only the name is wrong");
        // A name that is no host name (the kubeconfig loader refuses it; a connection built in code may hold one) is
        // refused by the handshake like any other wrong name, not thrown out of the validation callback.
        using var noHostName = new KubernetesClient(_client.Connection with { TlsServerName = "*.a..b" });
        (await Should.ThrowAsync<KubernetesApiException>(() => noHostName.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap).ListAsync("doris")))
            .Message.ShouldContain("does not name clusters[].cluster.tls-server-name '*.a..b'");
        using var rightName = new KubernetesClient(_client.Connection with { TlsServerName = "localhost" });
        (await rightName.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap).ListAsync("doris")).Items.ShouldBeEmpty();

        // insecure-skip-tls-verify takes any certificate: a server outside the kubeconfig's CA, under any name.
        await using var other = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All, BearerToken = _server.BearerToken }, TimeProvider.System, default);
        using var skipping = new KubernetesClient(_client.Connection with { Server = other.Address, TlsServerName = "not-the-api-server.invalid", InsecureSkipTlsVerify = true });
        (await skipping.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap).ListAsync("doris")).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Unreachable_SaysToCheckTheAddress()
    {
        using var client = new KubernetesClient(_client.Connection with { Server = new Uri("https://127.0.0.1:1") });

        (await Should.ThrowAsync<KubernetesApiException>(() => client.For(ResourceDescriptor.ConfigMaps, KubernetesJsonContext.Default.ConfigMap).ListAsync("doris")))
            .Message.ShouldContain("check the server address");
    }

    /// <summary>Hands out a stale token until asked to refresh (as after a 401), then the fresh one.</summary>
    private sealed class RotatingSource(string stale, string fresh) : ICredentialSource
    {
        public int Refreshes { get; private set; }

        public ValueTask<Credential> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
        {
            if (forceRefresh)
            {
                Refreshes++;
            }

            return ValueTask.FromResult(new Credential(Refreshes > 0 ? fresh : stale, null, null));
        }
    }
}
