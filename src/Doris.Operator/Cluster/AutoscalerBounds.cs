using Doris.Api.Naming;
using Doris.Api.V1;

namespace Doris.Operator.Cluster;

/// <summary>
/// CN replicas asked for outside the autoscaler's bounds. With an autoScalingPolicy the StatefulSet runs
/// <c>spec.cnSpec.replicas</c> held to [minReplicas, maxReplicas] (the HorizontalPodAutoscaler would move it there
/// anyway), so a <c>kubectl scale dcr --replicas=1</c> below minReplicas 2 runs 2 CNs. That is right, but silent:
/// the cluster is Ready with a replica count the user did not ask for. This names it in a condition and an Event.
/// </summary>
internal static class AutoscalerBounds
{
    public const string ConditionType = "AutoscalerLimited";

    public sealed record Verdict(bool Limited, string Reason, string Message);

    public static Verdict Judge(DorisCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (cluster.Spec?.CnSpec is not { AutoScalingPolicy: { } policy } cn)
        {
            return new Verdict(false, "NoAutoscaler", "CN replicas follow spec.cnSpec.replicas (no autoScalingPolicy)");
        }

        var min = policy.MinReplicas ?? 1;
        var max = Math.Max(policy.MaxReplicas ?? min, min);
        var hpa = DorisNames.Autoscaler(cluster.Metadata!.Name!);
        if (cn.Replicas is not { } asked)
        {
            return new Verdict(false, "WithinBounds", $"CN replicas are left to the HorizontalPodAutoscaler {hpa}, within [{min}, {max}]");
        }

        if (asked < min)
        {
            return new Verdict(true, "BelowMinReplicas",
                $"spec.cnSpec.replicas is {asked}, below cnSpec.autoScalingPolicy.minReplicas {min}: {min} CNs run (the HorizontalPodAutoscaler {hpa} keeps them there). To run fewer, lower minReplicas or remove autoScalingPolicy");
        }

        if (asked > max)
        {
            return new Verdict(true, "AboveMaxReplicas",
                $"spec.cnSpec.replicas is {asked}, above cnSpec.autoScalingPolicy.maxReplicas {max}: {max} CNs run (the HorizontalPodAutoscaler {hpa} keeps them there). To run more, raise maxReplicas");
        }

        return new Verdict(false, "WithinBounds", $"CN replicas {asked} are within the autoscaler's bounds [{min}, {max}]");
    }
}
