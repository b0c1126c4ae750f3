using System.Globalization;
using Doris.Api.Disaggregated;
using Doris.Api.Naming;
using Doris.Desired.Disaggregated;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Disaggregated;

/// <summary>
/// A DorisDisaggregatedCluster's status in upstream's shape (phases Ready/Reconciling/Scaling/Decommissioning/
/// ScaleDownFailed, Available/UnAvailable, health green/yellow/red by upstream's rule) plus the conditions a
/// DorisCluster has (Ready, Progressing, Degraded, Invalid). Pure: everything it reads is passed in.
/// </summary>
public static class DisaggregatedStatusBuilder
{
    /// <param name="Sets">Live StatefulSets by name (created ones included).</param>
    /// <param name="Wanted">Replicas each StatefulSet should have by name (the rendered spec).</param>
    /// <param name="GroupPhases">Phases a membership step set this reconcile, by compute-group uniqueId.</param>
    /// <param name="GroupIds">Doris's compute-group ids, by StatefulSet name.</param>
    public sealed record Inputs(
        IReadOnlyDictionary<string, StatefulSet> Sets,
        IReadOnlyDictionary<string, int> Wanted,
        IReadOnlyList<Pod> Pods,
        IReadOnlyDictionary<string, string> GroupPhases,
        IReadOnlyDictionary<string, string> GroupIds,
        IReadOnlyList<string> Waiting,
        IReadOnlyList<string> Problems);

    public static DisaggregatedClusterStatus Build(DorisDisaggregatedCluster cluster, Inputs inputs, DateTimeOffset now)
    {
        var name = cluster.Metadata!.Name!;
        var ns = cluster.Metadata.Namespace ?? "default";
        var previous = cluster.Status;
        var (msPhase, msReady) = Component(DisaggregatedNames.MetaServiceStatefulSet(name), "ms", null, inputs);
        var (fePhase, feReady) = Component(DisaggregatedNames.FrontendStatefulSet(name), "fe", null, inputs);
        var groups = new List<ComputeGroupStatus>();
        var unregistered = new List<string>();
        foreach (var group in (cluster.Spec?.ComputeGroups ?? []).Where(g => g.UniqueId is { Length: > 0 }))
        {
            var set = DisaggregatedNames.ComputeGroupStatefulSet(name, group.UniqueId!);
            var (phase, members) = Component(set, "compute", group.UniqueId, inputs);
            var id = inputs.GroupIds.GetValueOrDefault(set) ?? previous?.ComputeGroupStatuses?.FirstOrDefault(s => s.UniqueId == group.UniqueId)?.ComputeGroupId;
            var groupPhase = inputs.GroupPhases.GetValueOrDefault(group.UniqueId!) ?? phase;
            if (groupPhase == "Ready" && id is not { Length: > 0 })
            {
                // Pods ready is not a group Doris can run queries on: until the FE lists the group (and so gives
                // its id) it is still coming up, and the reconcile keeps looking (not Ready, so it requeues).
                groupPhase = "Reconciling";
                unregistered.Add($"compute group {group.UniqueId}: {members} pod(s) ready, not yet listed by the FE");
            }

            groups.Add(new ComputeGroupStatus
            {
                Phase = groupPhase,
                StatefulsetName = set,
                ServiceName = set,
                UniqueId = group.UniqueId,
                ComputeGroupId = id,
                AvailableStatus = members > 0 ? "Available" : "UnAvailable",
                Replicas = inputs.Wanted.GetValueOrDefault(set, group.Replicas ?? 1),
                AvailableReplicas = members,
            });
        }

        var health = new ClusterHealth
        {
            FeAvailable = feReady > 0,
            CgCount = groups.Count,
            CgAvailableCount = groups.Count(g => g.AvailableReplicas > 0),
            CgFullAvailableCount = groups.Count(g => g.Phase == "Ready"),
        };

        // Upstream's rule: red when the meta service or FE is unavailable or at most half the groups are; yellow
        // when something is not fully ready; green otherwise.
        health = health with
        {
            Health = msReady == 0 || feReady == 0 || health.CgAvailableCount <= health.CgCount / 2 ? "red"
                : msPhase != "Ready" || fePhase != "Ready" || health.CgAvailableCount < health.CgCount || health.CgFullAvailableCount < health.CgCount ? "yellow"
                : "green",
        };
        var waiting = new List<string>(inputs.Waiting);
        if (msPhase != "Ready")
        {
            waiting.Add($"meta service {msReady}/{inputs.Wanted.GetValueOrDefault(DisaggregatedNames.MetaServiceStatefulSet(name))} pods ready");
        }

        if (fePhase != "Ready")
        {
            waiting.Add($"FE {feReady}/{inputs.Wanted.GetValueOrDefault(DisaggregatedNames.FrontendStatefulSet(name))} pods ready");
        }

        waiting.AddRange(unregistered);
        waiting.AddRange(groups.Where(g => g.Phase != "Ready" && !unregistered.Any(u => u.StartsWith($"compute group {g.UniqueId}:", StringComparison.Ordinal)))
            .Select(g => $"compute group {g.UniqueId} {g.Phase} ({g.AvailableReplicas}/{g.Replicas} pods ready)"));
        if (groups.Count == 0)
        {
            waiting.Add("no compute group: add one to spec.computeGroups to run queries");
        }

        var ready = waiting.Count == 0 && inputs.Problems.Count == 0;
        var msEndpoint = $"{DisaggregatedNames.MetaServiceStatefulSet(name)}.{ns}";
        return new DisaggregatedClusterStatus
        {
            MetaServiceStatus = new MetaServiceStatus { Phase = msPhase, AvailableStatus = msReady > 0 ? "Available" : "UnAvailable", MetaServiceEndpoint = msEndpoint },
            FeStatus = new DisaggregatedFeStatus
            {
                Phase = fePhase,
                AvailableStatus = feReady > 0 ? "Available" : "UnAvailable",
                ClusterId = DisaggregatedFrontendBuilder.ClusterId(ns, name).ToString(CultureInfo.InvariantCulture),
            },
            ClusterHealth = health,
            ComputeGroupStatuses = groups,
            ObservedGeneration = cluster.Metadata.Generation,
            Conditions =
            [
                Condition(previous, "Ready", ready, ready ? "Available" : "ComponentsNotReady", ready ? "the meta service, the FE and every compute group have all pods ready" : string.Join("; ", waiting.Concat(inputs.Problems).Distinct()), cluster, now),
                Condition(previous, "Progressing", waiting.Count > 0, waiting.Count > 0 ? "RollingOut" : "Stable", waiting.Count > 0 ? "creating, scaling or updating components" : "nothing to roll out", cluster, now),
                Condition(previous, "Degraded", inputs.Problems.Count > 0, inputs.Problems.Count > 0 ? "NeedsAttention" : "Healthy", inputs.Problems.Count > 0 ? string.Join("; ", inputs.Problems.Distinct()) : "no problems found", cluster, now),
                Condition(previous, "Invalid", false, "Valid", "the spec passed validation", cluster, now),
            ],
        };
    }

    public static DisaggregatedClusterStatus Invalid(DorisDisaggregatedCluster cluster, string message, DateTimeOffset now) =>
        (cluster.Status ?? new DisaggregatedClusterStatus()) with
        {
            ObservedGeneration = cluster.Metadata!.Generation,
            Conditions = Cluster.Conditions.Invalid(cluster.Status?.Conditions, message, cluster.Metadata.Generation, now),
        };

    /// <summary>Ready when the set has every wanted replica Ready on its current revision; Reconciling otherwise.</summary>
    private static (string Phase, int Ready) Component(string set, string type, string? uniqueId, Inputs inputs)
    {
        var ready = inputs.Pods.Count(p => IsMember(p, type, uniqueId) && p.Metadata?.DeletionTimestamp is null &&
                                             p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        if (!inputs.Sets.TryGetValue(set, out var live) || !inputs.Wanted.TryGetValue(set, out var wanted))
        {
            return ("Reconciling", ready);
        }

        var status = live.Status;
        var settled = status?.ObservedGeneration == live.Metadata?.Generation && (status?.UpdateRevision is null || status.CurrentRevision == status.UpdateRevision)
                      && (status?.Replicas ?? 0) == wanted && (live.Spec?.Replicas ?? 1) == wanted;
        return (settled && ready >= wanted ? "Ready" : "Reconciling", ready);
    }

    private static bool IsMember(Pod pod, string type, string? uniqueId)
    {
        var labels = pod.Metadata?.Labels;
        return labels?.GetValueOrDefault(DisaggregatedLabels.PodType) == type && (uniqueId is null || labels.GetValueOrDefault(DisaggregatedLabels.ComputeGroup) == uniqueId);
    }

    private static Condition Condition(DisaggregatedClusterStatus? previous, string type, bool value, string reason, string message, DorisDisaggregatedCluster cluster, DateTimeOffset now) =>
        Cluster.Conditions.Make(previous?.Conditions, type, value, reason, message, cluster.Metadata!.Generation, now);
}
