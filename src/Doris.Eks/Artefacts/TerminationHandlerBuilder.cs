using System.Text.Json.Nodes;
using Doris.Eks.Planning;

namespace Doris.Eks.Artefacts;

/// <summary>
/// aws-node-termination-handler Helm values, queue mode: Spot interruption notices, rebalance recommendations,
/// ASG scale-in and AZ rebalancing all cordon and drain; nodes are tainted so the Doris operator sees the
/// notice within a second, and only ASGs tagged as managed are touched.
/// </summary>
public static class TerminationHandlerBuilder
{
    public static JsonObject Build() => new()
    {
        ["enableSqsTerminationDraining"] = true,
        ["queueURL"] = "${NTH_QUEUE_URL}",
        ["checkTagBeforeDraining"] = true,
        ["managedTag"] = PlanDefaults.NthManagedTag,
        ["taintNode"] = true,
        ["emitKubernetesEvents"] = true,
        ["podTerminationGracePeriod"] = -1,
        ["nodeTerminationGracePeriod"] = 120,
        ["enableOutOfServiceTaint"] = true,
    };
}
