using Doris.Kubernetes.Client;

namespace Doris.Sandbox.Tests;

/// <summary>A reconcile with nothing to do sends nothing: the ConfigMaps and Secrets a cluster names come from the operator's caches too.</summary>
public sealed class SteadyReconcileTests
{
    private static long Sent(OperatorRun op, string resource) =>
        op.Client.Requests.Snapshot().Where(kv => kv.Key.Resource == resource).Sum(kv => kv.Value);

    [Fact]
    public async Task ProductionCluster_ReconciledWithNothingToDo_NoConfigMapOrSecretReads()
    {
        await using var s = await Scenario.StartAsync();
        var op = s.StartOperator();
        var (cluster, maps) = Scenario.Example("production", "doris");
        await OperatorScenarioTests.CreateSecretIfNamed(s, cluster.Spec!.AuthSecret, "doris");
        await s.Env.ApplyAsync(cluster, maps);
        await s.RunUntilAsync(() => s.IsReadyAsync("doris-prod", "doris"), TimeSpan.FromMinutes(3), "Ready");
        await s.RunForAsync(TimeSpan.FromSeconds(10));
        var configMaps = Sent(op, "configmaps");
        var secrets = Sent(op, "secrets");
        var reconciles = op.Host.Reconciles;
        var total = op.Client.Requests.Total;

        // Touching a label changes nothing the operator renders, but every touch is a reconcile.
        for (var i = 0; i < 5; i++)
        {
            await s.Env.Clusters.PatchAsync("doris", "doris-prod", PatchType.Merge, "{\"metadata\":{\"labels\":{\"touched\":\"t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}}}");
            await s.RunForAsync(TimeSpan.FromSeconds(1));
        }

        op.Host.Reconciles.ShouldBeGreaterThanOrEqualTo(reconciles + 5);
        Sent(op, "configmaps").ShouldBe(configMaps, "fe.conf/be.conf come from the ConfigMap cache");
        Sent(op, "secrets").ShouldBe(secrets, "the auth Secret was seen to exist within the last five minutes");
        (op.Client.Requests.Total - total).ShouldBeLessThanOrEqualTo(10, "only lease renewals; a no-op reconcile sends nothing");
    }

    // A new cluster's first reconciles: each object created once, status written once (a JSON patch, so a cache
    // that has not seen the write yet costs no 409), and nothing else: 9 requests for 8 objects (issue 19: <= 1.2x).
    // No Created Event for a new cluster (its status records the creation; RolloutEvents.CreatedAsync).
    [Fact]
    public async Task NewMinimalCluster_FirstReconciles_OneRequestPerObjectOneStatusWrite()
    {
        await using var s = await Scenario.StartAsync();
        var op = s.StartOperator();
        var (cluster, maps) = Scenario.Example("minimal");
        await s.RunForAsync(TimeSpan.FromSeconds(2));
        var before = op.Client.Requests.Snapshot();
        var reconciles = op.Host.Reconciles;

        await s.Env.ApplyAsync(cluster, maps);
        for (var i = 0; i < 250 && op.Host.Reconciles == reconciles; i++)
        {
            await Task.Delay(20);
        }

        await Task.Delay(500); // the reconciles the children's own events bring (the simulated cluster is not stepped)
        var sent = op.Client.Requests.Snapshot().Where(kv => kv.Key.Resource != "leases" && kv.Value != before.GetValueOrDefault(kv.Key))
            .ToDictionary(kv => $"{kv.Key.Verb} {kv.Key.Resource} {kv.Key.Code}", kv => kv.Value - before.GetValueOrDefault(kv.Key));

        sent.ShouldBe(new Dictionary<string, long>
        {
            ["POST statefulsets 201"] = 2,
            ["POST services 201"] = 4,
            ["POST poddisruptionbudgets 201"] = 2,
            ["PATCH dorisclusters 200"] = 1,
        }, ignoreOrder: true);
        ((double)sent.Values.Sum() / 8).ShouldBeLessThanOrEqualTo(1.2);
    }

    // The CI guard for issue 19's "1,000 clusters to Ready <= 1.5x the emulator floor": time is the benchmark's to
    // measure (no timing assertions in tests), but the operator's time over the floor follows the requests it sends
    // over the floor's (the benchmark's floor sends each object once and one status write per cluster) and the
    // reconciles it runs. 12 requests per cluster here at HEAD: 8 creates, 3 status writes (created, FE available, Ready), the Available Event.
    [Fact]
    public async Task TenNewClusters_CreateToReady_RequestsAndReconcilesPerClusterNearTheFloor()
    {
        const int Clusters = 10;
        await using var s = await Scenario.StartAsync();
        var op = s.StartOperator();
        var (template, maps) = Scenario.Example("minimal");
        await s.RunForAsync(TimeSpan.FromSeconds(2));
        var before = op.Client.Requests.Snapshot();
        var reconciles = op.Host.Reconciles;
        var names = Enumerable.Range(0, Clusters).Select(i => $"c{i}").ToList();
        foreach (var name in names)
        {
            await s.Env.ApplyAsync(template with { Metadata = template.Metadata! with { Name = name } }, maps);
        }

        await s.RunUntilAsync(async () =>
        {
            foreach (var name in names)
            {
                if (!await s.IsReadyAsync(name))
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromMinutes(5), "every cluster Ready");

        var sent = op.Client.Requests.Snapshot().Where(kv => kv.Key.Resource != "leases")
            .ToDictionary(kv => $"{kv.Key.Verb} {kv.Key.Resource} {kv.Key.Code}", kv => kv.Value - before.GetValueOrDefault(kv.Key));
        var perCluster = (double)sent.Values.Sum() / Clusters;
        const double Floor = 8 + 1; // each object created once, one status write
        var detail = string.Join(", ", sent.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key}: {kv.Value}"));
        (perCluster / Floor).ShouldBeLessThanOrEqualTo(1.5, $"{perCluster} requests per cluster ({detail})");
        // Here every pod and StatefulSet status change is its own reconcile (each step gives the operator real time
        // before the next change): about 14 per cluster at HEAD, each sending nothing unless status changed; the
        // 1,000-cluster benchmark's queue coalesces them to 3. A fixed requeue or a write that wakes itself shows here.
        ((double)(op.Host.Reconciles - reconciles) / Clusters).ShouldBeLessThanOrEqualTo(20, "reconciles per cluster");
        sent.Where(kv => kv.Key.StartsWith("GET ", StringComparison.Ordinal) || kv.Key.EndsWith(" 409", StringComparison.Ordinal)).Sum(kv => kv.Value)
            .ShouldBe(0, $"no reads and no conflicts on the way to Ready ({detail})");
    }
}
