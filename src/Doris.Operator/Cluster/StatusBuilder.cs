using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Desired;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Cluster;

/// <summary>
/// Status from what the API server reports. Per component the upstream-compatible fields (phase <c>available</c>
/// when every replica is ready on the current revision, <c>restarting</c> while a rollout runs,
/// <c>haveMemberFailed</c> when a pod failed, else <c>initializing</c>; <c>coreConfigMapHashValue</c> for FE/BE),
/// plus Ready/Progressing/Degraded/Invalid conditions and observedGeneration. Times move only when something
/// changes, so a steady cluster writes nothing.
/// </summary>
internal static class StatusBuilder
{
    public sealed record Inputs(
        IReadOnlyDictionary<DorisComponent, StatefulSet?> StatefulSets,
        IReadOnlyList<Pod> Pods,
        IReadOnlyDictionary<string, ConfigMap> ConfigMaps,
        IReadOnlyList<string> Problems,
        IReadOnlySet<DorisComponent> JustChanged)
    {
        /// <summary>Progress of members leaving through the FE (decommission), or null when none is.</summary>
        public string? Leaving { get; init; }

        /// <summary>What the rollout gate is doing or waiting for, or null when no pods are being replaced.</summary>
        public string? Rollout { get; init; }
    }

    public static DorisClusterStatus Build(DorisCluster cluster, Inputs inputs, DateTimeOffset now)
    {
        var previous = cluster.Status;
        var problems = new List<string>();
        problems.AddRange(inputs.Problems);
        ComponentStatus? For(DorisComponent component, ComponentStatus? before)
        {
            if (cluster.Spec!.SpecOf(component) is not { } spec)
            {
                return null;
            }

            var sts = inputs.StatefulSets.GetValueOrDefault(component);
            var pods = inputs.Pods.Where(p => p.Metadata?.Labels?.GetValueOrDefault(DorisLabels.Component) == component.Key()).ToList();
            foreach (var pod in pods)
            {
                problems.AddRange(PodProblems(pod).Select(p => p.Contains(" cannot be scheduled: ", StringComparison.Ordinal) && SchedulingAdvice.For(component, spec, p, pod.Spec?.Containers?.FirstOrDefault()?.Resources?.Requests) is { Length: > 0 } advice ? p.TrimEnd('.') + advice : p));
            }

            var (phase, message) = Phase(sts, spec, pods, inputs.JustChanged.Contains(component));
            var condition = new ComponentCondition
            {
                SubResourceName = DorisNames.StatefulSet(cluster.Metadata!.Name!, component),
                Phase = phase,
                Reason = string.Empty,
                Message = message,
                LastTransitionTime = before?.ComponentCondition?.Phase == phase && before.ComponentCondition.LastTransitionTime is { } t ? t : now,
            };
            var status = component == DorisComponent.Cn ? new CnStatus() : new ComponentStatus();
            return status with
            {
                AccessService = DorisNames.ExternalService(cluster.Metadata.Name!, component),
                ComponentCondition = condition,
                CoreConfigMapHashValue = component is DorisComponent.Fe or DorisComponent.Be ? CoreHash(spec, component, inputs.ConfigMaps) : null,
            };
        }

        var fe = For(DorisComponent.Fe, previous?.FeStatus);
        var be = For(DorisComponent.Be, previous?.BeStatus);
        var cn = For(DorisComponent.Cn, previous?.CnStatus) as CnStatus;
        if (cn is not null)
        {
            cn = cn with
            {
                Replicas = inputs.Pods.Count(p => p.Metadata?.Labels?.GetValueOrDefault(DorisLabels.Component) == DorisComponent.Cn.Key() && p.Metadata.DeletionTimestamp is null),
                Selector = string.Join(",", DorisLabels.Selector(cluster.Metadata!.Name!, DorisComponent.Cn).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")),
            };
        }

        if (cn is not null && cluster.Spec!.CnSpec?.AutoScalingPolicy is { } policy)
        {
            cn = cn with { HorizontalScaler = new HorizontalScaler { Name = DorisNames.Autoscaler(cluster.Metadata!.Name!), Version = policy.Version ?? DorisDefaults.AutoscalerVersion } };
        }

        var broker = For(DorisComponent.Broker, previous?.BrokerStatus);
        var components = new[] { fe, be, cn, broker }.Where(c => c is not null).ToList();

        IEnumerable<string> waiting = components.Where(c => c!.ComponentCondition!.Phase != "available").Select(c => $"{c!.ComponentCondition!.SubResourceName}: {c.ComponentCondition.Message}");
        var allReady = components.All(c => c!.ComponentCondition!.Phase == "available") && inputs.Leaving is null && inputs.Rollout is null;
        if (inputs.Leaving is not null)
        {
            waiting = waiting.Append(inputs.Leaving);
        }

        if (inputs.Rollout is not null)
        {
            waiting = waiting.Append(inputs.Rollout);
        }
        var conditions = new List<Condition>
        {
            Condition(previous, "Ready", allReady, allReady ? "Available" : "ComponentsNotReady", allReady ? "every component has all pods ready" : string.Join("; ", waiting), cluster, now),
            Condition(previous, "Progressing", !allReady, allReady ? "Stable" : "RollingOut", allReady ? "nothing to roll out" : "creating, scaling or updating components", cluster, now),
            Condition(previous, "Degraded", problems.Count > 0, problems.Count > 0 ? "MembersNeedAttention" : "Healthy", problems.Count > 0 ? string.Join("; ", problems.Distinct()) : "no problems found", cluster, now),
            Condition(previous, "Invalid", false, "Valid", "the spec passed validation", cluster, now),
            Condition(previous, Membership.MembershipStep.ConditionType, inputs.Leaving is not null, inputs.Leaving is not null ? "MembersLeaving" : "NoneLeaving", inputs.Leaving ?? "no members are leaving", cluster, now),
        };
        if (cluster.Spec!.CnSpec?.AutoScalingPolicy is not null)
        {
            var bounds = AutoscalerBounds.Judge(cluster);
            conditions.Add(Condition(previous, AutoscalerBounds.ConditionType, bounds.Limited, bounds.Reason, bounds.Message, cluster, now));
        }

        return new DorisClusterStatus { FeStatus = fe, BeStatus = be, CnStatus = cn, BrokerStatus = broker, ObservedGeneration = cluster.Metadata!.Generation, Conditions = conditions };
    }

    public static DorisClusterStatus Invalid(DorisCluster cluster, string message, DateTimeOffset now) =>
        (cluster.Status ?? new DorisClusterStatus()) with
        {
            ObservedGeneration = cluster.Metadata!.Generation,
            Conditions = Conditions.Invalid(cluster.Status?.Conditions, message, cluster.Metadata.Generation, now),
        };

    /// <summary>Paused: the other conditions keep their last values; Progressing says why nothing moves.</summary>
    public static DorisClusterStatus Paused(DorisCluster cluster, DateTimeOffset now)
    {
        var status = cluster.Status ?? new DorisClusterStatus();
        var others = (status.Conditions ?? []).Where(c => c.Type != "Progressing").ToList();
        others.Add(Condition(status, "Progressing", false, "Paused", $"reconciliation is paused by the annotation {DorisLabels.Paused}=true; remove it to resume", cluster, now));
        return status with { Conditions = others };
    }

    private static (string Phase, string Message) Phase(StatefulSet? sts, ComponentSpec spec, IReadOnlyList<Pod> pods, bool justChanged)
    {
        var want = sts?.Spec?.Replicas ?? spec.Replicas ?? 0;
        var status = sts?.Status;
        var ready = status?.ReadyReplicas ?? 0;
        if (sts is null || justChanged)
        {
            return ("initializing", $"{ready}/{want} pods ready; applying the new spec");
        }

        var observed = status?.ObservedGeneration == sts.Metadata?.Generation;
        // A rollout is pods on an older revision: a new StatefulSet whose pods do not exist yet has none (counting
        // against the wanted replicas made a new cluster flap initializing -> restarting -> initializing, two
        // status writes for nothing).
        var rolling = observed && status?.UpdateRevision is { } update && (status.CurrentRevision != update || (status.UpdatedReplicas ?? 0) < (status.Replicas ?? 0));
        if (pods.Any(p => p.Status?.Phase == "Failed"))
        {
            return ("haveMemberFailed", $"{ready}/{want} pods ready; a pod failed");
        }

        if (observed && ready >= want && !rolling && (status?.Replicas ?? 0) == want)
        {
            return ("available", string.Empty);
        }

        return rolling
            ? ("restarting", $"{status!.UpdatedReplicas ?? 0}/{want} pods on the new revision, {ready}/{want} ready")
            : ("initializing", $"{ready}/{want} pods ready");
    }

    private static IEnumerable<string> PodProblems(Pod pod)
    {
        var name = pod.Metadata!.Name;
        if (pod.Metadata.Annotations is { } a && (a.GetValueOrDefault(DorisLabels.DebugRunMode) == "debug" || a.GetValueOrDefault(DorisLabels.DebugRunModeApache) == "debug"))
        {
            yield return $"pod {name} is in debug mode (runmode=debug): it stays up without serving; delete the pod to return it to normal";
        }

        if (pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False") is { } unscheduled)
        {
            yield return $"pod {name} cannot be scheduled: {unscheduled.Message}";
        }

        if (pod.Status?.Phase == "Failed")
        {
            yield return $"pod {name} failed: {pod.Status.Message ?? pod.Status.Reason ?? "see kubectl describe pod"}";
        }
    }

    private static string? CoreHash(ComponentSpec spec, DorisComponent component, IReadOnlyDictionary<string, ConfigMap> configMaps)
    {
        var name = spec.ConfigMapInfo?.ConfigMapName is { Length: > 0 } n ? n : spec.ConfigMapInfo?.ConfigMaps?.FirstOrDefault(c => (c.MountPath ?? string.Empty) is "" or DorisDefaults.ConfigMountPath)?.ConfigMapName;
        var key = component == DorisComponent.Fe ? "fe.conf" : "be.conf";
        return name is not null && configMaps.TryGetValue(name, out var cm) && cm.Data?.TryGetValue(key, out var text) == true
            ? ConfigHash.Compute(Api.Config.JavaProperties.Parse(text))
            : null;
    }

    private static Condition Condition(DorisClusterStatus? previous, string type, bool value, string reason, string message, DorisCluster cluster, DateTimeOffset now) =>
        Conditions.Make(previous?.Conditions, type, value, reason, message, cluster.Metadata!.Generation, now);
}

/// <summary>One status condition, its lastTransitionTime kept while its status does not change.</summary>
internal static class Conditions
{
    public static Condition Make(IReadOnlyList<Condition>? previous, string type, bool value, string reason, string message, long? generation, DateTimeOffset now)
    {
        var status = value ? "True" : "False";
        var before = previous?.FirstOrDefault(c => c.Type == type);
        return new Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = before?.Status == status && before.LastTransitionTime is { } t ? t : now,
        };
    }

    /// <summary>The four conditions of a resource whose spec failed validation (both kinds of cluster say the same).</summary>
    public static List<Condition> Invalid(IReadOnlyList<Condition>? previous, string message, long? generation, DateTimeOffset now) =>
    [
        Make(previous, "Ready", false, "Invalid", "the spec is invalid; see the Invalid condition", generation, now),
        Make(previous, "Progressing", false, "Invalid", "nothing is changed until the spec is fixed", generation, now),
        Make(previous, "Degraded", false, "Invalid", "not evaluated while the spec is invalid", generation, now),
        Make(previous, "Invalid", true, "ValidationFailed", message, generation, now),
    ];
}
