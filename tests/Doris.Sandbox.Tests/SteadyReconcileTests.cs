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
    // that has not seen the write yet costs no 409), one Event for the StatefulSets created, and nothing else.
    [Fact]
    public async Task NewMinimalCluster_FirstReconciles_OneRequestPerObjectOneStatusWriteOneEvent()
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
            ["POST events 201"] = 1,
        }, ignoreOrder: true);
    }
}
