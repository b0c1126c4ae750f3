using System.Globalization;
using System.Text;
using Doris.Kubernetes.Client.Http;
using Doris.Operator.Runtime;

namespace Doris.Operator;

/// <summary>Prometheus text exposition of the operator's counters, gauges and the reconcile-duration histogram.</summary>
internal static class OperatorMetrics
{
    public sealed record Snapshot(long Reconciles, long Errors, int QueueDepth, bool Leader, int Writes, DurationHistogram? Durations, RequestCounter Requests, int CachedClusters, int CachedPods)
    {
        public Nodes.DrainLog? Drains { get; init; }
    }

    public static string Render(Snapshot s)
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, double value)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        Metric("dorisctl_reconcile_total", "counter", "Reconciles run, successful or not.", s.Reconciles);
        Metric("dorisctl_reconcile_errors_total", "counter", "Reconciles that failed and were retried with back-off.", s.Errors);
        (s.Durations ?? new DurationHistogram()).Render(text, "dorisctl_reconcile_duration_seconds", "Wall-clock time of one reconcile.");
        (s.Drains?.Durations ?? new DurationHistogram()).Render(text, "dorisctl_drain_duration_seconds", "From a node's drain signal to its CN being out of the FE and its pod deleted.");
        Metric("dorisctl_drains_missed_total", "counter", "CNs whose node went (or whose Spot notice ran out) before they were taken off.", s.Drains?.Missed ?? 0);
        Metric("dorisctl_workqueue_depth", "gauge", "Keys waiting for a worker.", s.QueueDepth);
        Metric("dorisctl_leader", "gauge", "1 while this replica holds the leader lease.", s.Leader ? 1 : 0);
        Metric("dorisctl_api_writes_total", "counter", "Objects and statuses written by reconciles (steady clusters add none).", s.Writes);
        Metric("dorisctl_cache_dorisclusters", "gauge", "DorisClusters in the informer cache.", s.CachedClusters);
        Metric("dorisctl_cache_pods", "gauge", "Doris pods in the informer cache (only pods labelled app.doris.cluster).", s.CachedPods);
        text.Append("# HELP dorisctl_api_requests_total Requests sent to the API server by verb, resource and HTTP status code.\n");
        text.Append("# TYPE dorisctl_api_requests_total counter\n");
        foreach (var ((verb, resource, code), count) in s.Requests.Snapshot().OrderBy(kv => kv.Key.Verb, StringComparer.Ordinal).ThenBy(kv => kv.Key.Resource, StringComparer.Ordinal).ThenBy(kv => kv.Key.Code))
        {
            text.Append("dorisctl_api_requests_total{verb=\"").Append(verb).Append("\",resource=\"").Append(resource).Append("\",code=\"").Append(code.ToString(CultureInfo.InvariantCulture)).Append("\"} ").Append(count).Append('\n');
        }

        return text.ToString();
    }
}
