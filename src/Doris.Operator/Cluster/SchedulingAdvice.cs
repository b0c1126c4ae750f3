using System.Text.RegularExpressions;
using Doris.Api;
using Doris.Api.V1;

namespace Doris.Operator.Cluster;

/// <summary>
/// The fix to go with a scheduler's "0/N nodes are available: ..." message. The scheduler counts, per reason, the
/// nodes it turned down; the advice follows the nodes that passed placement (selector, affinity, taints), because
/// those are the ones the pod was meant for: when they lack CPU, memory or pod slots, the fix is resources, and the
/// nodes excluded by placement are excluded on purpose (a BE avoids Spot), so Spot advice would mislead.
/// </summary>
internal static partial class SchedulingAdvice
{
    /// <param name="requests">What the pod asked for (its main container's requests); the spec's when not given.</param>
    public static string For(DorisComponent component, ComponentSpec spec, string message, IReadOnlyDictionary<string, Kubernetes.Models.Quantity>? requests = null)
    {
        requests ??= spec.Requests;
        var reasons = Reasons(message);
        int Count(Func<string, bool> match) => reasons.Where(r => match(r.Reason)).Sum(r => r.Nodes);
        var lacking = reasons.Where(r => r.Reason.StartsWith("Insufficient ", StringComparison.Ordinal)).Select(r => r.Reason["Insufficient ".Length..]).ToList();
        var fullOfPods = Count(r => r.StartsWith("Too many pods", StringComparison.Ordinal));
        var short_ = Count(r => r.StartsWith("Insufficient ", StringComparison.Ordinal)) + fullOfPods;
        var placement = Count(r => r.Contains("node affinity/selector", StringComparison.Ordinal) || r.Contains("untolerated taint", StringComparison.Ordinal));
        var policy = spec.SpotPolicy ?? (component == DorisComponent.Cn ? null : "avoid");

        if (short_ > 0)
        {
            var what = string.Join(" and ", lacking.Concat(fullOfPods > 0 ? ["pod slots"] : []).Distinct(StringComparer.Ordinal));
            var asked = string.Join(", ", lacking.Where(r => requests?.ContainsKey(r) == true).Select(r => $"requests.{r} {requests![r]}"));
            var excluded = placement > 0 ? $"; the other {placement} node(s) are ruled out by its placement ({PlacementNote(component, policy)}), which is intended" : string.Empty;
            return $". Fix: {short_} node(s) fit {component.Key()}'s placement but lack {what}" + (asked.Length > 0 ? $" for {asked}" : string.Empty) +
                   $"{excluded}; lower {component.Key()}'s requests or add larger nodes (or let the cluster autoscaler or Karpenter add them)";
        }

        if (placement > 0)
        {
            return policy switch
            {
                "required" => ". Fix: spotPolicy: required admits only Spot nodes (eks.amazonaws.com/capacityType=SPOT, karpenter.sh/capacity-type=spot or node.spotmax/type=spot) and none fits; add Spot capacity (a Spot node group or Karpenter NodePool) or set spotPolicy: preferred to fall back to on-demand",
                "avoid" => $". Fix: {component.Key()} avoids Spot nodes (spotPolicy avoid, the default) and no on-demand node fits its nodeSelector, affinity and tolerations; add on-demand capacity or correct them (kubectl get nodes --show-labels)",
                _ => ". Fix: no node matches the nodeSelector, affinity and tolerations; compare them with kubectl get nodes --show-labels",
            };
        }

        if (Count(r => r.Contains("topology spread", StringComparison.Ordinal)) > 0)
        {
            return ". Fix: the zone spread constraint cannot be kept with the nodes there are; add nodes in the zones with fewer pods";
        }

        if (Count(r => r.Contains("not ready", StringComparison.Ordinal) || r.Contains("unschedulable", StringComparison.Ordinal)) > 0)
        {
            return ". Fix: the nodes are not ready or are cordoned; wait for them (a node starting, a drain ending) or uncordon them";
        }

        return string.Empty;
    }

    private static string PlacementNote(DorisComponent component, string? policy) => policy switch
    {
        "avoid" => $"{component.Key()} avoids Spot nodes",
        "required" => $"{component.Key()} runs only on Spot nodes",
        _ => "nodeSelector, affinity and tolerations",
    };

    /// <summary>
    /// The counted reasons of "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) didn't match ...", without the
    /// preemption report newer schedulers append after the first sentence.
    /// </summary>
    internal static IReadOnlyList<(int Nodes, string Reason)> Reasons(string message)
    {
        const string Counted = "nodes are available: ";
        var at = message.IndexOf(Counted, StringComparison.Ordinal);
        var list = at < 0 ? message : message[(at + Counted.Length)..];
        var end = list.IndexOf(". ", StringComparison.Ordinal);
        list = (end < 0 ? list : list[..end]).TrimEnd('.', ' ');
        return [.. list.Split(", ").Select(item => CountedReason().Match(item)).Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value))];
    }

    [GeneratedRegex(@"^(\d+) (.+)$")]
    private static partial Regex CountedReason();
}
