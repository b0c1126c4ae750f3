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

        public IReadOnlyList<IInformerHealth> Informers { get; init; } = [];

        /// <summary>Whether this leader reconciles DorisDisaggregatedClusters (their CRD is installed).</summary>
        public bool DisaggregatedServed { get; init; }

        public IReadOnlyDictionary<string, int> QueueByReason { get; init; } = new Dictionary<string, int>();

        public IReadOnlyDictionary<string, int> WaitingByReason { get; init; } = new Dictionary<string, int>();

        public DateTimeOffset Now { get; init; }

        public int Terms { get; init; }

        public MemorySample? Memory { get; init; }

        public long MemoryTrims { get; init; }
    }

    /// <summary>
    /// Where the process's memory is, so a pod near its limit can be told apart: a large live heap (caches grew with
    /// the clusters) from a heap the GC has not given back (fragmented or committed but free).
    /// </summary>
    /// <remarks>
    /// <see cref="JitCompiledMethods"/> rides along: what a ReadyToRun build compiles at run time is most of its
    /// start-up time, so a rise shows a start-up regression without a clock (the CI guard reads it; a native build has no JIT).
    /// </remarks>
    public sealed record MemorySample(long Resident, long HeapAfterLastGc, long FragmentedAfterLastGc, long Committed, long Allocated, long JitCompiledMethods = 0)
    {
        public static MemorySample Now()
        {
            var info = GC.GetGCMemoryInfo();
            return new MemorySample(Environment.WorkingSet, info.HeapSizeBytes, info.FragmentedBytes, info.TotalCommittedBytes, GC.GetTotalAllocatedBytes(), System.Runtime.JitInfo.GetCompiledMethodCount());
        }
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
        Metric("dorisctl_disaggregated_served", "gauge", "1 while the leader reconciles DorisDisaggregatedClusters; 0 when their CRD was not installed at the start of its term (install it and restart the operator).", s.DisaggregatedServed ? 1 : 0);
        Metric("dorisctl_leader_terms_total", "counter", "Times this replica became leader (a lease lost and won back starts a new term).", s.Terms);
        Labelled(text, "dorisctl_workqueue_depth_by_reason", "gauge", "Keys waiting for a worker, by why they were queued.", "reason",
            Reasons.ToDictionary(r => r, r => (double)s.QueueByReason.GetValueOrDefault(r)));
        Labelled(text, "dorisctl_workqueue_waiting", "gauge", "Keys waiting on their one timer, by why (requeue, retry, throttled).", "reason",
            Reasons.ToDictionary(r => r, r => (double)s.WaitingByReason.GetValueOrDefault(r)));
        Labelled(text, "dorisctl_informer_synced", "gauge", "1 once the informer holds a complete list.", "resource",
            s.Informers.ToDictionary(i => i.Resource, i => i.HasSynced ? 1.0 : 0));
        Labelled(text, "dorisctl_informer_without_watch_seconds", "gauge", "How long the informer has been without a working watch (0 while one is open); /readyz fails past the bound.", "resource",
            s.Informers.ToDictionary(i => i.Resource, i => Math.Round(i.WithoutWatch(s.Now).TotalSeconds, 3)));
        Labelled(text, "dorisctl_informer_last_event_age_seconds", "gauge", "Age of the last list, event or bookmark the informer received.", "resource",
            s.Informers.ToDictionary(i => i.Resource, i => i.LastEventAt is { } at ? Math.Round((s.Now - at).TotalSeconds, 3) : -1));
        Labelled(text, "dorisctl_informer_decode_failures_total", "counter", "Objects (per version) that did not decode and were left out of the cache.", "resource",
            s.Informers.ToDictionary(i => i.Resource, i => (double)i.DecodeFailures));
        Labelled(text, "dorisctl_informer_undecodable_objects", "gauge", "Objects left out of the cache right now because they do not decode.", "resource",
            s.Informers.ToDictionary(i => i.Resource, i => (double)i.Undecodable.Count));
        text.Append("# HELP dorisctl_watch_restarts_total Watches started again, by resource and why the last one ended (closed, expired, broken, garbled, error, not-served, unexpected).\n");
        text.Append("# TYPE dorisctl_watch_restarts_total counter\n");
        foreach (var informer in s.Informers)
        {
            foreach (var (reason, count) in informer.WatchRestarts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                text.Append("dorisctl_watch_restarts_total{resource=\"").Append(informer.Resource).Append("\",reason=\"").Append(reason).Append("\"} ").Append(count).Append('\n');
            }
        }

        text.Append("# HELP dorisctl_api_requests_total Requests sent to the API server by verb, resource and HTTP status code.\n");
        text.Append("# TYPE dorisctl_api_requests_total counter\n");
        foreach (var ((verb, resource, code), count) in s.Requests.Snapshot().OrderBy(kv => kv.Key.Verb, StringComparer.Ordinal).ThenBy(kv => kv.Key.Resource, StringComparer.Ordinal).ThenBy(kv => kv.Key.Code))
        {
            text.Append("dorisctl_api_requests_total{verb=\"").Append(verb).Append("\",resource=\"").Append(resource).Append("\",code=\"").Append(code.ToString(CultureInfo.InvariantCulture)).Append("\"} ").Append(count).Append('\n');
        }

        if (s.Memory is { } m)
        {
            Metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", m.Resident);
            Metric("dotnet_gc_heap_size_bytes", "gauge", "Managed heap size at the end of the last garbage collection (live objects plus fragmentation).", m.HeapAfterLastGc);
            Metric("dotnet_gc_fragmented_bytes", "gauge", "Free space inside the managed heap at the end of the last garbage collection.", m.FragmentedAfterLastGc);
            Metric("dotnet_gc_committed_bytes", "gauge", "Memory the garbage collector has committed from the operating system.", m.Committed);
            Metric("dotnet_gc_allocated_bytes_total", "counter", "Bytes allocated on the managed heap since the process started.", m.Allocated);
            Metric("dotnet_jit_compiled_methods_total", "counter", "Methods the JIT compiled since the process started (ReadyToRun code needs few; a native build none).", m.JitCompiledMethods);
            Metric("dorisctl_memory_trims_total", "counter", "Times memory committed by a burst of work was given back once idle again.", s.MemoryTrims);
        }

        return text.ToString();
    }

    private static readonly string[] Reasons = [WorkQueue<string>.Event, WorkQueue<string>.Requeue, WorkQueue<string>.Retry, WorkQueue<string>.Resync, WorkQueue<string>.Throttled];

    private static void Labelled(StringBuilder text, string name, string type, string help, string label, IReadOnlyDictionary<string, double> values)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (key, value) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('{').Append(label).Append("=\"").Append(key).Append("\"} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
