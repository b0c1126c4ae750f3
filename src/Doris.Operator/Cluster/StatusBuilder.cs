using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Cluster;

/// <summary>
/// Status from what the API server reports: per component the upstream-compatible fields (phase
/// <c>available</c> when every replica is ready, else <c>initializing</c>), plus Ready/Progressing/Invalid
/// conditions and observedGeneration. Times only move when something changes, so a steady cluster writes nothing.
/// </summary>
internal static class StatusBuilder
{
    public static DorisClusterStatus Build(DorisCluster cluster, IReadOnlyDictionary<DorisComponent, StatefulSet?> statefulSets, DateTimeOffset now)
    {
        var previous = cluster.Status;
        var name = cluster.Metadata!.Name!;
        ComponentStatus? For(DorisComponent component, ComponentStatus? before)
        {
            if (cluster.Spec!.SpecOf(component) is not { } spec)
            {
                return null;
            }

            var sts = statefulSets.GetValueOrDefault(component);
            var want = sts?.Spec?.Replicas ?? spec.Replicas ?? 0;
            var ready = sts?.Status?.ReadyReplicas ?? 0;
            var phase = sts is not null && ready >= want ? "available" : "initializing";
            var condition = new ComponentCondition
            {
                SubResourceName = DorisNames.StatefulSet(name, component),
                Phase = phase,
                Reason = string.Empty,
                Message = phase == "available" ? string.Empty : $"{ready}/{want} pods ready",
                LastTransitionTime = before?.ComponentCondition?.Phase == phase && before.ComponentCondition.LastTransitionTime is { } t ? t : now,
            };
            var status = component == DorisComponent.Cn ? new CnStatus() : new ComponentStatus();
            return status with
            {
                AccessService = DorisNames.ExternalService(name, component),
                ComponentCondition = condition,
            };
        }

        var fe = For(DorisComponent.Fe, previous?.FeStatus);
        var be = For(DorisComponent.Be, previous?.BeStatus);
        var cn = For(DorisComponent.Cn, previous?.CnStatus) as CnStatus;
        if (cn is not null && cluster.Spec!.CnSpec?.AutoScalingPolicy is { } policy)
        {
            cn = cn with { HorizontalScaler = new HorizontalScaler { Name = DorisNames.Autoscaler(name), Version = policy.Version ?? DorisDefaults.AutoscalerVersion } };
        }

        var broker = For(DorisComponent.Broker, previous?.BrokerStatus);
        var components = new[] { fe, be, cn, broker }.Where(c => c is not null).ToList();
        var allReady = components.All(c => c!.ComponentCondition!.Phase == "available");
        var conditions = new List<Condition>
        {
            Condition(previous, "Ready", allReady, allReady ? "Available" : "Progressing", allReady ? "every component has all pods ready" : "waiting for pods to become ready", cluster, now),
            Condition(previous, "Progressing", !allReady, allReady ? "Stable" : "RollingOut", allReady ? "nothing to roll out" : "creating or updating components", cluster, now),
            Condition(previous, "Invalid", false, "Valid", "the spec passed validation", cluster, now),
        };
        return new DorisClusterStatus { FeStatus = fe, BeStatus = be, CnStatus = cn, BrokerStatus = broker, ObservedGeneration = cluster.Metadata.Generation, Conditions = conditions };
    }

    public static DorisClusterStatus Invalid(DorisCluster cluster, string message, DateTimeOffset now) =>
        (cluster.Status ?? new DorisClusterStatus()) with
        {
            ObservedGeneration = cluster.Metadata!.Generation,
            Conditions =
            [
                Condition(cluster.Status, "Ready", false, "Invalid", "the spec is invalid; see the Invalid condition", cluster, now),
                Condition(cluster.Status, "Progressing", false, "Invalid", "nothing is changed until the spec is fixed", cluster, now),
                Condition(cluster.Status, "Invalid", true, "ValidationFailed", message, cluster, now),
            ],
        };

    private static Condition Condition(DorisClusterStatus? previous, string type, bool value, string reason, string message, DorisCluster cluster, DateTimeOffset now)
    {
        var status = value ? "True" : "False";
        var before = previous?.Conditions?.FirstOrDefault(c => c.Type == type);
        return new Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            ObservedGeneration = cluster.Metadata!.Generation,
            LastTransitionTime = before?.Status == status && before.LastTransitionTime is { } t ? t : now,
        };
    }
}
