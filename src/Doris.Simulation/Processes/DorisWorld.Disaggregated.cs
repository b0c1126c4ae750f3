using System.Globalization;
using Doris.Kubernetes.Emulator.Storage;
using Doris.Kubernetes.Models;

namespace Doris.Simulation.Processes;

/// <summary>
/// The storage-compute (DorisDisaggregatedCluster) side of the simulated Doris: per cluster one FE group whose
/// members register by ordinal, and compute-group members that register as backends tagged with their group
/// (the disaggregated BE entrypoint adds itself with <c>COMPUTE_GROUP_NAME</c>). The meta service keeps no state
/// here; its pods only have to be Ready. Models are kept apart from DorisClusters of the same name.
/// </summary>
public sealed partial class DorisWorld
{
    private const string DdcCluster = "app.doris.disaggregated.cluster";
    private const string DdcType = "app.doris.disaggregated.type";
    private static readonly ResourceType DisaggregatedClusters = new("disaggregated.cluster.doris.com", "v1", "DorisDisaggregatedCluster", "dorisdisaggregatedclusters", "dorisdisaggregatedcluster", true, true, ["ddc"]);

    /// <summary>The simulated FE group of a DorisDisaggregatedCluster (its members, compute groups and statements).</summary>
    public DorisModel DisaggregatedModel(string ns, string cluster) => ForDisaggregated(ns, cluster).Model;

    public int DisaggregatedFrontendPort(string ns, string cluster) => ForDisaggregated(ns, cluster).Server.Port;

    private void StepDisaggregated(IReadOnlyList<Pod> pods, DateTimeOffset now)
    {
        foreach (var group in pods.Where(p => p.Metadata?.Labels?.ContainsKey(DdcCluster) == true)
                     .GroupBy(p => (p.Metadata!.Namespace ?? "default", p.Metadata.Labels![DdcCluster])))
        {
            var (ns, cluster) = group.Key;
            var model = DisaggregatedModel(ns, cluster);
            var alive = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pod in group)
            {
                var ready = pod.Metadata!.DeletionTimestamp is null && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
                if (!ready)
                {
                    continue;
                }

                var host = $"{pod.Spec!.Hostname}.{pod.Spec.Subdomain}.{ns}.svc.cluster.local";
                alive.Add(host);
                if (!FirstStart(pod))
                {
                    continue;
                }

                var ordinal = Ordinal(pod);
                var container = pod.Spec.Containers?.FirstOrDefault()?.Name ?? "main";
                var env = pod.Spec.Containers?.FirstOrDefault()?.Env ?? [];
                void Print(string line) => store.Logs.Append(ns, pod.Metadata.Name!, container, now, line);
                switch (pod.Metadata.Labels![DdcType])
                {
                    case "fe":
                        // As the disaggregated FE entrypoint: ordinals below ELECT_NUMBER join as followers, the rest as observers.
                        var elect = env.FirstOrDefault(e => e.Name == "ELECT_NUMBER")?.Value is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 1;
                        var role = ordinal < elect ? "FOLLOWER" : "OBSERVER";
                        model.RegisterFrontend(host, ConfiguredPort(pod, "fe.conf", "edit_log_port", 9010), role, ordinal == 0);
                        Print(ordinal == 0 ? $"entrypoint: started as the master FE ({host}) with the meta service" : $"entrypoint: joined the FE group as {role} ({host})");
                        break;
                    case "compute":
                        var groupName = env.FirstOrDefault(e => e.Name == "COMPUTE_GROUP_NAME")?.Value ?? "default_compute_group";
                        var port = ConfiguredPort(pod, "be.conf", "heartbeat_service_port", 9050);
                        model.RegisterBackend(host, port, "mix", groupName);
                        Print($"entrypoint: added to compute group {groupName} ({host}:{port})");
                        break;
                }
            }

            model.SetAlive(alive);
            model.Tick(now);
        }
    }

    private (DorisModel Model, FrontendServer Server) ForDisaggregated(string ns, string cluster) => _clusters.GetOrAdd($"{ns}/ddc/{cluster}", _ =>
    {
        var (user, password) = SpecCredentials(DisaggregatedClusters, ns, cluster);
        var model = new DorisModel { User = user, Password = password, Version = DorisVersion.V3_0 };
        Configure?.Invoke(model);
        return (model, new FrontendServer(model));
    });
}
