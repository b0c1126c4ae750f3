using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doris.Cli.Monitoring;

/// <summary>
/// The Grafana dashboard for the operator's /metrics (Grafana's classic dashboard JSON model): whether a replica
/// leads, reconcile rate, errors and latency, the work queue by reason, Spot drains (time to drain, drains missed),
/// API requests and writes, informer health (time without a watch, watch restarts), cache sizes and memory. Every
/// query names only series the operator exports (a test checks them against a real /metrics).
/// </summary>
internal static class OperatorDashboard
{
    public const string FileName = "dorisctl-operator.json";
    public const string Uid = "dorisctl-operator";

    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    // Memory is kept to the operator's pods by joining with a series only the operator exports.
    private static readonly (string Title, string Type, string Unit, (string Expr, string Legend)[] Queries)[] Panels =
    [
        ("Leader", "stat", "none", [("max by (pod) (dorisctl_leader)", "{{pod}}")]),
        ("Clusters and pods cached", "stat", "none", [("max(dorisctl_cache_dorisclusters)", "DorisClusters"), ("max(dorisctl_cache_pods)", "Doris pods")]),
        ("Reconciles", "timeseries", "ops", [("sum(rate(dorisctl_reconcile_total[5m]))", "reconciles"), ("sum(rate(dorisctl_reconcile_errors_total[5m]))", "failed (retried with back-off)")]),
        ("Reconcile duration", "timeseries", "s", [("histogram_quantile(0.5, sum by (le) (rate(dorisctl_reconcile_duration_seconds_bucket[5m])))", "p50"), ("histogram_quantile(0.99, sum by (le) (rate(dorisctl_reconcile_duration_seconds_bucket[5m])))", "p99")]),
        ("Work queue by reason", "timeseries", "none", [("sum by (reason) (dorisctl_workqueue_depth_by_reason)", "queued: {{reason}}"), ("sum by (reason) (dorisctl_workqueue_waiting)", "waiting: {{reason}}")]),
        ("Spot drains: signal to CN out", "timeseries", "s", [("histogram_quantile(0.99, sum by (le) (rate(dorisctl_drain_duration_seconds_bucket[30m])))", "p99"), ("sum(increase(dorisctl_drains_missed_total[1h]))", "missed in the last hour")]),
        ("API requests", "timeseries", "reqps", [("sum by (verb, code) (rate(dorisctl_api_requests_total[5m]))", "{{verb}} {{code}}"), ("sum(rate(dorisctl_api_writes_total[5m]))", "writes by reconciles")]),
        ("Informers: time without a watch", "timeseries", "s", [("max by (resource) (dorisctl_informer_without_watch_seconds)", "{{resource}}"), ("min by (resource) (dorisctl_informer_synced)", "synced: {{resource}}")]),
        ("Watch restarts", "timeseries", "none", [("sum by (resource, reason) (increase(dorisctl_watch_restarts_total[15m]))", "{{resource}} ({{reason}})"), ("sum by (resource) (dorisctl_informer_undecodable_objects)", "undecodable: {{resource}}")]),
        ("Memory", "timeseries", "bytes", [("max by (pod) (process_resident_memory_bytes and on (namespace, pod) dorisctl_leader)", "resident {{pod}}"), ("max by (pod) (dotnet_gc_heap_size_bytes and on (namespace, pod) dorisctl_leader)", "GC heap {{pod}}")]),
    ];

    public static JsonObject Build()
    {
        var panels = new JsonArray();
        for (var i = 0; i < Panels.Length; i++)
        {
            var (title, type, unit, queries) = Panels[i];
            // Two stats side by side in the first row, then two time series per row, each half the width.
            var (w, h) = type == "stat" ? (12, 4) : (12, 8);
            var y = i < 2 ? 0 : 4 + ((i - 2) / 2 * 8);
            panels.Add((JsonNode)Panel(i + 1, title, type, unit, queries, new JsonObject { ["h"] = h, ["w"] = w, ["x"] = i % 2 * 12, ["y"] = y }));
        }

        return new JsonObject
        {
            ["uid"] = Uid,
            ["title"] = "dorisctl operator",
            ["tags"] = new JsonArray("doris", "dorisctl", "operator"),
            ["timezone"] = "browser",
            ["editable"] = true,
            ["graphTooltip"] = 1,
            ["schemaVersion"] = 39,
            ["refresh"] = "30s",
            ["time"] = new JsonObject { ["from"] = "now-6h", ["to"] = "now" },
            ["annotations"] = new JsonObject
            {
                ["list"] = new JsonArray(new JsonObject
                {
                    ["builtIn"] = 1,
                    ["datasource"] = new JsonObject { ["type"] = "grafana", ["uid"] = "-- Grafana --" },
                    ["enable"] = true,
                    ["hide"] = true,
                    ["iconColor"] = "rgba(0, 211, 255, 1)",
                    ["name"] = "Annotations & Alerts",
                    ["type"] = "dashboard",
                }),
            },
            ["templating"] = new JsonObject
            {
                ["list"] = new JsonArray(new JsonObject
                {
                    ["type"] = "datasource",
                    ["name"] = "datasource",
                    ["label"] = "Prometheus",
                    ["query"] = "prometheus",
                }),
            },
            ["panels"] = panels,
        };
    }

    private static JsonObject Panel(int id, string title, string type, string unit, (string Expr, string Legend)[] queries, JsonObject gridPos)
    {
        var targets = new JsonArray();
        for (var q = 0; q < queries.Length; q++)
        {
            targets.Add((JsonNode)new JsonObject
            {
                ["refId"] = ((char)('A' + q)).ToString(),
                ["datasource"] = DataSource(),
                ["expr"] = queries[q].Expr,
                ["legendFormat"] = queries[q].Legend,
            });
        }

        return new JsonObject
        {
            ["id"] = id,
            ["type"] = type,
            ["title"] = title,
            ["datasource"] = DataSource(),
            ["gridPos"] = gridPos,
            ["fieldConfig"] = new JsonObject { ["defaults"] = new JsonObject { ["unit"] = unit }, ["overrides"] = new JsonArray() },
            ["options"] = type == "stat" ? StatOptions() : TimeSeriesOptions(),
            ["targets"] = targets,
        };
    }

    private static JsonObject DataSource() => new() { ["type"] = "prometheus", ["uid"] = "${datasource}" };

    private static JsonObject TimeSeriesOptions() => new()
    {
        ["legend"] = new JsonObject { ["displayMode"] = "list", ["placement"] = "bottom", ["showLegend"] = true, ["calcs"] = new JsonArray() },
        ["tooltip"] = new JsonObject { ["mode"] = "multi", ["sort"] = "none" },
    };

    private static JsonObject StatOptions() => new()
    {
        ["graphMode"] = "none",
        ["colorMode"] = "value",
        ["justifyMode"] = "auto",
        ["textMode"] = "value_and_name",
        ["wideLayout"] = true,
        ["showPercentChange"] = false,
        ["percentChangeColorMode"] = "standard",
        ["orientation"] = "auto",
        ["reduceOptions"] = new JsonObject { ["calcs"] = new JsonArray("lastNotNull"), ["fields"] = string.Empty, ["values"] = false },
    };
}
