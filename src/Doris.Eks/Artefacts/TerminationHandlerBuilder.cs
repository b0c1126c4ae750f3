using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;
using Doris.Eks.Planning;

namespace Doris.Eks.Artefacts;

/// <summary>
/// aws-node-termination-handler Helm values, queue mode: Spot interruption notices, rebalance recommendations,
/// ASG scale-in and AZ rebalancing all cordon and drain; nodes are tainted so the Doris operator sees the
/// notice within a second, and only ASGs tagged as managed are touched.
/// </summary>
public static class TerminationHandlerBuilder
{
    /// <summary>How long an ASG waits on the termination lifecycle hook for NTH to drain and complete it.</summary>
    public const int LifecycleHeartbeatSeconds = 300;

    /// <summary>The ServiceAccount NTH runs as (its Pod Identity association names it).</summary>
    public const string ServiceAccount = "aws-node-termination-handler";

    public static JsonObject Build(Blueprint b) => new()
    {
        ["enableSqsTerminationDraining"] = true,
        ["queueURL"] = "${NTH_QUEUE_URL}",

        // Credentials come from its Pod Identity association, not the node role, and nodes do not give pods IMDS.
        ["awsRegion"] = b.Region,
        ["serviceAccount"] = new JsonObject { ["create"] = true, ["name"] = ServiceAccount },
        ["checkTagBeforeDraining"] = true,
        ["managedTag"] = PlanDefaults.NthManagedTag,
        ["taintNode"] = true,
        ["emitKubernetesEvents"] = true,
        ["podTerminationGracePeriod"] = -1,
        ["nodeTerminationGracePeriod"] = 120,
        ["enableOutOfServiceTaint"] = true,
    };
}
