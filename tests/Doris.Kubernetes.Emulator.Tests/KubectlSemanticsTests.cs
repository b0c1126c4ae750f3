using Doris.Testing;

namespace Doris.Kubernetes.Emulator.Tests;

/// <summary>
/// kubectl commands whose meaning rests on server semantics: dry runs that must change nothing, strategic merge
/// patches that must keep what the patch does not mention, and field selectors on list and watch.
/// </summary>
public sealed class KubectlSemanticsTests : KubectlSession
{
    protected override EmulatorOptions Options => new() { BookmarkInterval = TimeSpan.FromSeconds(1) };

    // Two pods on two nodes and an event about each: what the selector and column tests read.
    private const string PodsAndEvents = """
        apiVersion: v1
        kind: Pod
        metadata: {name: p1}
        spec: {nodeName: n1, containers: [{name: c, image: i}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: p2}
        spec: {nodeName: n2, containers: [{name: c, image: i}]}
        ---
        apiVersion: v1
        kind: Event
        metadata: {name: e1}
        involvedObject: {kind: Pod, name: p1, namespace: default}
        type: Warning
        reason: BackOff
        message: restarting
        ---
        apiVersion: v1
        kind: Event
        metadata: {name: e2}
        involvedObject: {kind: Pod, name: p2, namespace: default}
        type: Normal
        reason: Pulled
        message: pulled
        """;

    private const string ConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: \"{0}\"\n";

    [Fact]
    public async Task KubectlDiff_ShowsTheChange_AndChangesNothing()
    {
        (await Kubectl("apply", "-f", await FileAsync("v1.yaml", string.Format(System.Globalization.CultureInfo.InvariantCulture, ConfigMap, "old")))).Code.ShouldBe(0);
        var version = (await Kubectl("get", "cm", "settings", "-o", "jsonpath={.metadata.resourceVersion}")).Out;

        var diff = await Kubectl("diff", "-f", await FileAsync("v2.yaml", string.Format(System.Globalization.CultureInfo.InvariantCulture, ConfigMap, "new")));

        diff.Code.ShouldBe(1, diff.Error); // kubectl diff: 1 means "there are differences"
        diff.Out.ShouldContain("+  mode: new");
        (await Kubectl("get", "cm", "settings", "-o", "jsonpath={.data.mode} {.metadata.resourceVersion}")).Out.ShouldBe($"old {version}", "a diff is a dry run");
    }

    [Fact]
    public async Task DryRunServer_CreatePatchDelete_LeaveEverythingAsItWas()
    {
        var created = await Kubectl("apply", "--dry-run=server", "-f", await FileAsync("new.yaml", string.Format(System.Globalization.CultureInfo.InvariantCulture, ConfigMap, "x")));
        created.Code.ShouldBe(0, created.Error);
        created.Out.ShouldContain("(server dry run)");
        (await Kubectl("get", "cm", "settings")).Error.ShouldContain("NotFound");

        await Kubectl("apply", "-f", Path.Combine(Dir, "new.yaml"));
        (await Kubectl("patch", "cm", "settings", "--dry-run=server", "--type", "merge", "-p", """{"data":{"mode":"patched"}}""")).Code.ShouldBe(0);
        (await Kubectl("delete", "cm", "settings", "--dry-run=server")).Code.ShouldBe(0);

        (await Kubectl("get", "cm", "settings", "-o", "jsonpath={.data.mode}")).Out.ShouldBe("x");
    }

    [Fact]
    public async Task DryRun_UnknownValue_IsRefused()
    {
        await Kubectl("apply", "-f", await FileAsync("a.yaml", string.Format(System.Globalization.CultureInfo.InvariantCulture, ConfigMap, "x")));
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = Server.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Server.BearerToken);

        using var response = await http.DeleteAsync("/api/v1/namespaces/default/configmaps/settings?dryRun=Maybe");

        ((int)response.StatusCode).ShouldBe(400);
        (await Kubectl("get", "cm", "settings")).Code.ShouldBe(0, "not deleted");
    }

    // kubectl apply sends a strategic merge patch with $setElementOrder for a built-in kind: the container must keep
    // every field the patch does not touch, and no directive may be stored as data.
    [Fact]
    public async Task KubectlApply_ChangedDeployment_MergesContainersByName()
    {
        const string Deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: op}
            spec:
              selector: {matchLabels: {app: op}}
              template:
                metadata: {labels: {app: op}}
                spec:
                  containers:
                  - name: operator
                    image: {0}
                    args: ["operator"]
                    ports: [{name: probes, containerPort: 8081}, {name: metrics, containerPort: 9090}]
                    env: [{name: A, value: "1"}, {name: B, value: "2"}]
                    readinessProbe: {httpGet: {path: /readyz, port: probes}}
                  - name: sidecar
                    image: busybox
            """;
        (await Kubectl("apply", "-f", await FileAsync("d1.yaml", Deployment.Replace("{0}", "op:1", StringComparison.Ordinal)))).Code.ShouldBe(0);
        var edited = Deployment.Replace("{0}", "op:2", StringComparison.Ordinal).Replace("{name: A, value: \"1\"}, {name: B, value: \"2\"}", "{name: B, value: \"3\"}", StringComparison.Ordinal);

        var applied = await Kubectl("apply", "-f", await FileAsync("d2.yaml", edited));

        applied.Code.ShouldBe(0, applied.Error);
        var json = (await Kubectl("get", "deploy", "op", "-o", "json")).Out;
        json.ShouldNotContain("$setElementOrder");
        json.ShouldNotContain("$patch");
        (await Kubectl("get", "deploy", "op", "-o", "jsonpath={.spec.template.spec.containers[*].name}|{.spec.template.spec.containers[0].image}|{.spec.template.spec.containers[0].readinessProbe.httpGet.path}|{.spec.template.spec.containers[0].env[*].name}={.spec.template.spec.containers[0].env[*].value}|{.spec.template.spec.containers[0].ports[*].containerPort}")).Out
            .ShouldBe("operator sidecar|op:2|/readyz|B=3|8081 9090");
    }

    [Fact]
    public async Task KubectlApply_CustomResource_UsesAMergePatch()
    {
        await Kubectl("apply", "-f", CrdFile);
        var minimal = Path.Combine(SharedFiles.RepositoryRoot, "examples", "minimal.yaml");
        await Kubectl("apply", "-f", minimal);
        var changed = await FileAsync("m2.yaml", (await File.ReadAllTextAsync(minimal)).Replace("replicas: 1\n    image: apache/doris:be", "replicas: 2\n    image: apache/doris:be", StringComparison.Ordinal));

        var applied = await Kubectl("apply", "-f", changed);

        applied.Code.ShouldBe(0, applied.Error);
        (await Kubectl("get", "dcr", "doris", "-o", "jsonpath={.spec.beSpec.replicas} {.spec.feSpec.replicas}")).Out.ShouldBe("2 1");
    }

    // kubectl wait lists and watches with metadata.name=...: another object's condition must not satisfy it.
    [Fact]
    public async Task KubectlWait_ForOneCluster_IsNotSatisfiedByAnother()
    {
        await Kubectl("apply", "-f", CrdFile);
        var minimal = await File.ReadAllTextAsync(Path.Combine(SharedFiles.RepositoryRoot, "examples", "minimal.yaml"));
        await Kubectl("apply", "-f", await FileAsync("wa.yaml", minimal.Replace("name: doris", "name: wa", StringComparison.Ordinal)));
        await Kubectl("apply", "-f", await FileAsync("wb.yaml", minimal.Replace("name: doris", "name: wb", StringComparison.Ordinal)));
        var ready = await Kubectl("patch", "dcr", "wb", "--subresource=status", "--type", "merge", "-p", """{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Ready","message":"ok","lastTransitionTime":"2026-12-01T00:00:00Z"}]}}""");
        ready.Code.ShouldBe(0, ready.Error);

        var waitA = await Kubectl("wait", "--for=condition=Ready", "dcr/wa", "--timeout=3s");
        var waitB = await Kubectl("wait", "--for=condition=Ready", "dcr/wb", "--timeout=10s");

        waitA.Code.ShouldNotBe(0, "wa is not Ready");
        waitA.Out.ShouldNotContain("wb");
        waitB.Code.ShouldBe(0, waitB.Error);
        waitB.Out.ShouldContain("doriscluster.doris.selectdb.com/wb condition met");
    }

    [Fact]
    public async Task FieldSelectors_KubectlUses_SelectPodsAndEvents()
    {
        (await Kubectl("apply", "-f", await FileAsync("pods.yaml", PodsAndEvents))).Code.ShouldBe(0);

        (await Kubectl("get", "pods", "--field-selector", "spec.nodeName=n1", "-o", "name")).Out.Trim().ShouldBe("pod/p1");
        (await Kubectl("get", "events", "--field-selector", "type=Warning", "-o", "jsonpath={.items[*].metadata.name}")).Out.ShouldBe("e1");
        (await Kubectl("get", "events", "--field-selector", "involvedObject.name=p2,reason=Pulled", "-o", "jsonpath={.items[*].metadata.name}")).Out.ShouldBe("e2");
        var unsupported = await Kubectl("get", "pods", "--field-selector", "spec.image=i");
        unsupported.Code.ShouldNotBe(0);
        unsupported.Error.ShouldContain("field label not supported: spec.image");
    }

    [Fact]
    public async Task KubectlGet_BuiltInKinds_ShowTheirColumns()
    {
        const string Service = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 9030}]}\n";
        (await Kubectl("apply", "-f", await FileAsync("objs.yaml", PodsAndEvents + "\n---\n" + Service))).Code.ShouldBe(0);

        Header((await Kubectl("get", "pods")).Out).ShouldBe(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
        (await Kubectl("get", "pods")).Out.ShouldContain("0/1");
        Header((await Kubectl("get", "pods", "-o", "wide")).Out).ShouldBe(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]);
        Header((await Kubectl("get", "events")).Out).ShouldBe(["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
        (await Kubectl("get", "events")).Out.ShouldContain("pod/p1");
        Header((await Kubectl("get", "svc")).Out).ShouldBe(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
        (await Kubectl("get", "svc")).Out.ShouldContain("9030/TCP");
    }

    // kubectl names the kind and prints each cause; an empty causes list showed only 'The dorisclusters "x" is invalid'.
    [Fact]
    public async Task KubectlApply_InvalidCustomResource_ShowsTheKindAndEveryField()
    {
        await Kubectl("apply", "-f", CrdFile);
        var minimal = await File.ReadAllTextAsync(Path.Combine(SharedFiles.RepositoryRoot, "examples", "minimal.yaml"));
        var bad = minimal.Replace("name: doris", "name: bad", StringComparison.Ordinal).Replace("replicas: 1", "replicas: many", StringComparison.Ordinal);

        var applied = await Kubectl("apply", "--validate=false", "-f", await FileAsync("bad.yaml", bad));

        applied.Code.ShouldNotBe(0);
        applied.Error.ShouldContain("The DorisCluster \"bad\" is invalid");
        applied.Error.ShouldContain("* spec.feSpec.replicas:");
        applied.Error.ShouldContain("* spec.beSpec.replicas:");
    }

    // Install scripts wait for the CRD before applying resources of it.
    [Fact]
    public async Task KubectlWait_CrdEstablished_IsMet()
    {
        (await Kubectl("apply", "-f", CrdFile)).Code.ShouldBe(0);

        var waited = await Kubectl("wait", "--for", "condition=established", "crd/dorisclusters.doris.selectdb.com", "--timeout=10s");

        waited.Code.ShouldBe(0, waited.Error);
        waited.Out.ShouldContain("condition met");
    }

    [Fact]
    public async Task Namespaces_DefaultOnesExist_MissingOneIsRefused_DeletingOneDeletesItsContent()
    {
        (await Kubectl("get", "ns", "-o", "name")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["namespace/default", "namespace/kube-node-lease", "namespace/kube-public", "namespace/kube-system"]);
        var cm = string.Format(System.Globalization.CultureInfo.InvariantCulture, ConfigMap, "x");

        var missing = await Kubectl("apply", "-n", "nowhere", "-f", await FileAsync("cm.yaml", cm));
        (await Kubectl("apply", "-f", await FileAsync("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n"))).Code.ShouldBe(0);
        (await Kubectl("apply", "-n", "team", "-f", Path.Combine(Dir, "cm.yaml"))).Code.ShouldBe(0);
        var deleted = await Kubectl("delete", "namespace", "team");

        missing.Code.ShouldNotBe(0);
        missing.Error.ShouldContain("namespaces \"nowhere\" not found");
        deleted.Code.ShouldBe(0, deleted.Error);
        (await Kubectl("get", "cm", "-n", "team", "-o", "name")).Out.ShouldBeEmpty("the namespace's content went with it");
    }

    // kubectl create namespace|configmap|secret send protobuf: read as kube-apiserver reads it.
    [Fact]
    public async Task KubectlCreate_NamespaceConfigMapSecret_ProtobufBodiesAreRead()
    {
        var ns = await Kubectl("create", "namespace", "team-x");
        var cm = await Kubectl("create", "configmap", "settings", "-n", "team-x", "--from-literal=mode=fast", "--from-literal=level=3");
        var secret = await Kubectl("create", "secret", "generic", "auth", "-n", "team-x", "--from-literal=username=root", "--from-literal=password=p@ss");
        var deployment = await Kubectl("create", "deployment", "web", "--image=nginx", "-n", "team-x");

        ns.Code.ShouldBe(0, ns.Error);
        cm.Code.ShouldBe(0, cm.Error);
        secret.Code.ShouldBe(0, secret.Error);
        (await Kubectl("get", "cm", "settings", "-n", "team-x", "-o", "jsonpath={.data.mode} {.data.level}")).Out.ShouldBe("fast 3");
        (await Kubectl("get", "secret", "auth", "-n", "team-x", "-o", "jsonpath={.type} {.data.password}")).Out.ShouldBe("Opaque " + Convert.ToBase64String("p@ss"u8.ToArray()));
        deployment.Code.ShouldNotBe(0);
        deployment.Error.ShouldContain("kubectl apply -f");
    }

    // kubectl auth can-i sends its review as protobuf: the answer echoes the attributes the emulator read from it.
    [Fact]
    public async Task KubectlAuthCanI_ProtobufReview_IsReadAndAllowed()
    {
        var canI = await Kubectl("auth", "can-i", "delete", "statefulsets.apps", "-n", "kube-system", "-v=8");
        var whoami = await Kubectl("auth", "whoami");

        canI.Code.ShouldBe(0, canI.Error);
        canI.Out.Trim().ShouldBe("yes");
        canI.Error.ShouldContain("Content-Type: application/vnd.kubernetes.protobuf");
        canI.Error.Replace("\\", string.Empty, StringComparison.Ordinal).ShouldContain("\"resourceAttributes\":{\"namespace\":\"kube-system\",\"verb\":\"delete\",\"group\":\"apps\"", Case.Sensitive, "kubectl -v=8 logs the response body with its quotes escaped");
        whoami.Out.ShouldContain("dorisctl-emulator-admin");
    }

    // JSON clients get their answer too.
    [Fact]
    public async Task AccessReview_AsJson_IsAllowedAndSaysWhy()
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = Server.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Server.BearerToken);

        using var review = await http.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", new StringContent("""{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"verb":"delete","resource":"pods"}}}""", System.Text.Encoding.UTF8, "application/json"));
        using var whoami = await http.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", new StringContent("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""", System.Text.Encoding.UTF8, "application/json"));

        var answer = System.Text.Json.Nodes.JsonNode.Parse(await review.Content.ReadAsStringAsync())!;
        ((bool)answer["status"]!["allowed"]!).ShouldBeTrue();
        ((string)answer["spec"]!["resourceAttributes"]!["verb"]!).ShouldBe("delete");
        (await whoami.Content.ReadAsStringAsync()).ShouldContain("dorisctl-emulator-admin");
    }

    [Fact]
    public async Task KubectlScale_StatefulSet_WritesSpecReplicas()
    {
        var sts = Manifests.WebStatefulSet(container: "c", image: "i");
        (await Kubectl("apply", "-f", await FileAsync("sts.yaml", sts))).Code.ShouldBe(0);

        var scaled = await Kubectl("scale", "sts", "web", "--replicas=4");

        scaled.Code.ShouldBe(0, scaled.Error);
        (await Kubectl("get", "sts", "web", "-o", "jsonpath={.spec.replicas}")).Out.ShouldBe("4");
        (await Kubectl("get", "--raw", "/apis/apps/v1/namespaces/default/statefulsets/web/scale")).Out.ShouldContain("\"selector\":\"app=web\"");
    }

    private static string[] Header(string table) => table.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
