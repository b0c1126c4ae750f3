using System.Globalization;
using System.Text;

namespace Doris.Operator;

/// <summary>Prometheus text exposition of the operator's counters and gauges.</summary>
internal static class OperatorMetrics
{
    public static string Render(long reconciles, long errors, int queueDepth, bool leader, int writes)
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, double value)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        Metric("dorisctl_reconcile_total", "counter", "Reconciles run, successful or not.", reconciles);
        Metric("dorisctl_reconcile_errors_total", "counter", "Reconciles that failed and were retried with back-off.", errors);
        Metric("dorisctl_workqueue_depth", "gauge", "Keys waiting for a worker.", queueDepth);
        Metric("dorisctl_leader", "gauge", "1 while this replica holds the leader lease.", leader ? 1 : 0);
        Metric("dorisctl_api_writes_total", "counter", "Objects and statuses written by reconciles (steady clusters add none).", writes);
        return text.ToString();
    }
}
