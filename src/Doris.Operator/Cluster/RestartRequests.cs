using System.Globalization;
using Doris.Api;
using Doris.Api.Naming;
using Doris.Api.V1;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Cluster;

/// <summary>
/// Turns the cluster's <c>apache.doris.{fe,be}/restartedAt</c> annotations into the restart time each component's
/// pod template should carry. As upstream: a new time is accepted only if it is an RFC 3339 time no older than ten
/// minutes; unlike upstream the decision is level-based: a time already on the template stays there, so an old
/// annotation never rolls the pods twice, and a rejected one leaves the template as it was.
/// </summary>
internal static class RestartRequests
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    public sealed record Decision(IReadOnlyDictionary<DorisComponent, string> Apply, IReadOnlyList<string> Rejected, IReadOnlyList<DorisComponent> Accepted);

    public static Decision Decide(DorisCluster cluster, Func<DorisComponent, StatefulSet?> live, DateTimeOffset now)
    {
        var apply = new Dictionary<DorisComponent, string>();
        var rejected = new List<string>();
        var accepted = new List<DorisComponent>();
        foreach (var component in DorisComponentExtensions.All.Where(c => cluster.Spec!.SpecOf(c) is not null))
        {
            var key = DorisLabels.RestartedAt(component);
            var applied = live(component)?.Spec?.Template?.Metadata?.Annotations?.GetValueOrDefault(key);
            var requested = cluster.Metadata!.Annotations?.GetValueOrDefault(key);
            if (requested is null || requested == applied)
            {
                if (applied is not null)
                {
                    apply[component] = applied;
                }

                continue;
            }

            if (DateTimeOffset.TryParse(requested, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && now - at <= Window && at - now <= Window)
            {
                apply[component] = requested;
                accepted.Add(component);
            }
            else
            {
                if (applied is not null)
                {
                    apply[component] = applied;
                }

                rejected.Add($"{key}='{requested}' is not an RFC 3339 time within {Window.TotalMinutes} minutes of the operator's clock; set it to the current time, e.g. $(date -u +%Y-%m-%dT%H:%M:%SZ)");
            }
        }

        return new Decision(apply, rejected, accepted);
    }
}
