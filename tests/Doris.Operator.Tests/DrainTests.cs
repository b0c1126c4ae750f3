using Doris.Kubernetes.Models;
using Doris.Operator.Nodes;
using Doris.Sql.Admin;

namespace Doris.Operator.Tests;

public sealed class DrainTests
{
    private static BackendInfo Be(string name, bool alive = true, bool decommissioned = false, string role = "mix") =>
        new(1, $"{name}.c-be-internal.ns.svc.cluster.local", 9050, alive, decommissioned, 10, role);

    private static readonly BackendInfo[] Three = [Be("c-be-0"), Be("c-be-1"), Be("c-be-2")];

    [Fact]
    public void TabletRisk_OneBeDrainingAllHealthy_IsSafe()
    {
        var verdict = TabletRisk.Judge(["c-be-1.c-be-internal.ns.svc.cluster.local:9050"], Three, new TabletHealth(30, 30), 3);

        verdict.AtRisk.ShouldBeFalse();
        verdict.Message.ShouldContain("every tablet keeps a healthy replica");
    }

    // BackendsProcDir: a backend that is not alive shows an empty NodeRole. A dead CN (no tablets) is no BE down.
    [Fact]
    public void TabletRisk_DeadMemberWithNoRoleAndNoTablets_IsNotTakenForABeDown()
    {
        BackendInfo[] backends = [Be("c-be-0"), Be("c-be-1"), Be("c-be-2"), new(9, "c-cn-0.x", 9050, false, false, 0, string.Empty)];

        TabletRisk.Judge(["c-be-1.c-be-internal.ns.svc.cluster.local:9050"], backends, new TabletHealth(30, 30), 2).AtRisk.ShouldBeFalse();
        TabletRisk.Judge(["c-be-1.c-be-internal.ns.svc.cluster.local:9050"], [.. backends, new(8, "c-be-3.x", 9050, false, false, 12, string.Empty)], new TabletHealth(30, 30), 2)
            .AtRisk.ShouldBeTrue("a dead member the FE still counts tablets on is a BE down");
    }

    [Fact]
    public void TabletRisk_UnhealthyTablets_IsAtRisk()
    {
        var verdict = TabletRisk.Judge(["c-be-1.x:9050"], Three, new TabletHealth(30, 27), 3);

        verdict.AtRisk.ShouldBeTrue();
        verdict.Message.ShouldContain("3 of 30 tablets");
    }

    [Fact]
    public void TabletRisk_DrainingPlusDownReachReplication_IsAtRiskAndNamesBoth()
    {
        BackendInfo[] backends = [Be("c-be-0"), Be("c-be-1"), Be("c-be-2", alive: false), Be("c-cn-0", alive: false, role: "computation")];

        var verdict = TabletRisk.Judge(["c-be-1.x:9050"], backends, new TabletHealth(30, 30), 2);

        verdict.AtRisk.ShouldBeTrue();
        verdict.Message.ShouldContain("2 BEs draining or down (c-be-1, c-be-2)");
        TabletRisk.Judge(["c-be-1.x:9050"], backends, new TabletHealth(30, 30), 2, paced: true).AtRisk.ShouldBeTrue("the budget does not see a BE that is dead behind a ready pod");
    }

    [Fact]
    public void TabletRisk_EveryBeDrainingWithTheBudget_IsSafeOnlyWhilePaced()
    {
        string[] all = ["c-be-0.x:9050", "c-be-1.x:9050", "c-be-2.x:9050"];

        TabletRisk.Judge(all, Three, new TabletHealth(30, 30), 3, paced: true).AtRisk.ShouldBeFalse();
        TabletRisk.Judge(all, Three, new TabletHealth(30, 30), 3, paced: false).AtRisk.ShouldBeTrue();
        BackendInfo[] oneAway = [Be("c-be-0", alive: false), Be("c-be-1"), Be("c-be-2")];
        TabletRisk.Judge(all, oneAway, new TabletHealth(30, 30), 2, paced: true, budgetHeld: true).AtRisk.ShouldBeFalse("the budget holds the others while the drained one is away");
        TabletRisk.Judge(all, oneAway, new TabletHealth(30, 20), 3, paced: true, budgetHeld: true).AtRisk.ShouldBeFalse("tablets short of the drained BE's replica wait with it");
        TabletRisk.Judge(all, oneAway, new TabletHealth(30, 20), 2, paced: true, budgetHeld: false).AtRisk.ShouldBeTrue("a BE dead behind a ready pod does not hold the budget");
    }

    [Fact]
    public void DrainLog_SpotSignal_MeasuredAgainstTheNotice_FirstSightingKept()
    {
        var log = new DrainLog();
        var t0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        log.Seen("u1", "ns/c", "c-cn-0", "n1", "Spot interruption notice (about two minutes left)", t0);
        log.Seen("u1", "ns/c", "c-cn-0", "n1", "Spot interruption notice (about two minutes left)", t0.AddSeconds(5));
        log.Seen("u2", "ns/c", "c-cn-1", "n1", "cordoned", t0);

        var spot = log.Close("u1", t0.AddSeconds(3), finished: true)!;
        var cordon = log.Close("u2", t0.AddMinutes(5), finished: true)!;
        log.Close("u1", t0.AddSeconds(9), finished: true).ShouldBeNull("closed once");

        spot.Took.ShouldBe(TimeSpan.FromSeconds(3));
        spot.InBudget.ShouldBeTrue();
        cordon.Budget.ShouldBeNull("a cordon has no deadline");
        cordon.InBudget.ShouldBeTrue();
        log.Durations.Count.ShouldBe(2);
    }

    [Fact]
    public void DrainLog_NodeGoneFirst_IsAMissedDrain()
    {
        var log = new DrainLog();
        var t0 = DateTimeOffset.UnixEpoch;
        log.Seen("u1", "ns/c", "c-cn-0", "n1", "Spot interruption notice (about two minutes left)", t0);

        log.OpenFor("ns/c").ShouldBe(["u1"]);
        var missed = log.Close("u1", t0.AddMinutes(2), finished: false)!;

        missed.InBudget.ShouldBeFalse();
        log.Durations.Count.ShouldBe(0, "only finished drains are in the histogram");
    }

    [Fact]
    public void Metrics_WithDrains_HistogramBucketsAndMissedCount()
    {
        var log = new DrainLog();
        var t0 = DateTimeOffset.UnixEpoch;
        log.Seen("u1", "ns/c", "c-cn-0", "n1", "Spot interruption notice (about two minutes left)", t0);
        log.Seen("u2", "ns/c", "c-cn-1", "n1", "Spot interruption notice (about two minutes left)", t0);
        log.Close("u1", t0.AddSeconds(1.5), finished: true);
        log.Close("u2", t0.AddMinutes(3), finished: false);

        var text = OperatorMetrics.Render(new OperatorMetrics.Snapshot(0, 0, 0, true, 0, null, new Doris.Kubernetes.Client.Http.RequestCounter(), 0, 0) { Drains = log });

        text.ShouldContain("dorisctl_drain_duration_seconds_bucket{le=\"1\"} 0");
        text.ShouldContain("dorisctl_drain_duration_seconds_bucket{le=\"2\"} 1");
        text.ShouldContain("dorisctl_drain_duration_seconds_count 1");
        text.ShouldContain("dorisctl_drains_missed_total 1");
    }
}
