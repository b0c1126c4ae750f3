using System.Text.Json.Nodes;
using Doris.Api.Naming;

namespace Doris.Cli.Monitoring;

/// <summary>
/// Prometheus Operator objects (monitoring.coreos.com/v1) for scraping Doris and the operator, and the Grafana
/// dashboard ConfigMap. PodMonitors rather than ServiceMonitors: every Doris pod is scraped on its own (a Service
/// would hide which BE a series comes from), and the operator needs no metrics Service. Ports are named, so a
/// changed http_port or webserver_port in fe.conf/be.conf needs no change here.
/// </summary>
internal static class MonitoringManifests
{
    public const string ApiVersion = "monitoring.coreos.com/v1";

    /// <summary>The label Grafana's dashboard sidecar (kube-prometheus-stack's default) loads ConfigMaps by.</summary>
    public const string DashboardLabel = "grafana_dashboard";

    /// <summary>A PodMonitor for one DorisCluster: FE on http-port, BE and CN on webserver-port, both at /metrics.</summary>
    public static JsonObject ClusterPodMonitor(string cluster, string ns, string interval, IReadOnlyDictionary<string, string> labels) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "PodMonitor",
        ["metadata"] = new JsonObject
        {
            ["name"] = $"{cluster}-doris",
            ["namespace"] = ns,
            ["labels"] = Labels(labels, (DorisLabels.Cluster, cluster)),
        },
        ["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [DorisLabels.Cluster] = cluster } },
            ["namespaceSelector"] = new JsonObject { ["matchNames"] = new JsonArray(ns) },
            ["podMetricsEndpoints"] = new JsonArray(
                Endpoint("http-port", interval, cluster),       // FE: http_port (8030)
                Endpoint("webserver-port", interval, cluster)), // BE and CN: webserver_port (8040)
        },
    };

    /// <summary>A PodMonitor for the operator's replicas (port "probes", plain HTTP /metrics).</summary>
    public static JsonObject OperatorPodMonitor(string ns, IReadOnlyDictionary<string, string> labels) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "PodMonitor",
        ["metadata"] = new JsonObject
        {
            ["name"] = Commands.InstallManifests.Name,
            ["namespace"] = ns,
            ["labels"] = Labels(labels, ("app.kubernetes.io/name", Commands.InstallManifests.Name)),
        },
        ["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app.kubernetes.io/name"] = Commands.InstallManifests.Name } },
            ["podMetricsEndpoints"] = new JsonArray(new JsonObject { ["port"] = "probes", ["path"] = "/metrics", ["interval"] = "30s" }),
        },
    };

    /// <summary>The operator dashboard in a ConfigMap Grafana's sidecar picks up (label grafana_dashboard: "1").</summary>
    public static JsonObject DashboardConfigMap(string ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = Commands.InstallManifests.Name + "-dashboard",
            ["namespace"] = ns,
            ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = Commands.InstallManifests.Name, [DashboardLabel] = "1" },
        },
        ["data"] = new JsonObject { [OperatorDashboard.FileName] = OperatorDashboard.Build().ToJsonString(OperatorDashboard.Indented) },
    };

    private static JsonObject Endpoint(string port, string interval, string cluster) => new()
    {
        ["port"] = port,
        ["path"] = "/metrics",
        ["interval"] = interval,
        // Series carry the Doris role and cluster under short names, whatever the pod's labels look like.
        ["relabelings"] = new JsonArray(
            new JsonObject { ["sourceLabels"] = new JsonArray("__meta_kubernetes_pod_label_app_kubernetes_io_component"), ["targetLabel"] = "component" },
            new JsonObject { ["targetLabel"] = "doris_cluster", ["replacement"] = cluster }),
    };

    private static JsonObject Labels(IReadOnlyDictionary<string, string> extra, params (string Key, string Value)[] own)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in own)
        {
            labels[key] = value;
        }

        foreach (var (key, value) in extra.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            labels[key] = value;
        }

        return labels;
    }
}
