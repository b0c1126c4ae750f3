using Doris.Api;
using Doris.Api.V1;

namespace Doris.Operator.Cluster;

/// <summary>The fix to go with a scheduler's "0/N nodes are available" message, from what the component asked for.</summary>
internal static class SchedulingAdvice
{
    public static string For(DorisComponent component, ComponentSpec spec, string message)
    {
        var policy = spec.SpotPolicy ?? (component == DorisComponent.Cn ? null : "avoid");
        if (message.Contains("node affinity/selector", StringComparison.Ordinal) || message.Contains("untolerated taint", StringComparison.Ordinal))
        {
            return policy switch
            {
                "required" => ". Fix: spotPolicy: required admits only Spot nodes (eks.amazonaws.com/capacityType=SPOT, karpenter.sh/capacity-type=spot or node.spotmax/type=spot) and none fits; add Spot capacity (a Spot node group or Karpenter NodePool) or set spotPolicy: preferred to fall back to on-demand",
                "avoid" => $". Fix: {component.Key()} avoids Spot nodes (spotPolicy avoid, the default) and no on-demand node fits its nodeSelector, affinity and tolerations; add on-demand capacity or correct them (kubectl get nodes --show-labels)",
                _ => ". Fix: no node matches the nodeSelector, affinity and tolerations; compare them with kubectl get nodes --show-labels",
            };
        }

        return message.Contains("Insufficient", StringComparison.Ordinal) || message.Contains("Too many pods", StringComparison.Ordinal)
            ? ". Fix: add nodes (or let the autoscaler add them) or lower the component's requests"
            : string.Empty;
    }
}
