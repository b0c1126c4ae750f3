using System.Text.Json.Nodes;
using Doris.Kubernetes.Models;

namespace Doris.Operator.Cluster;

/// <summary>
/// Claim templates are fixed when a StatefulSet is created, so the pods of a live set can only ever mount the claims
/// it was created with. When the desired set names a disk differently (an adopted upstream cluster, or a set made by
/// an older version of this operator), the patched pod template must keep mounting the live names: mounting the
/// new ones would leave every pod Pending, and recreating the set would start the BEs on new, empty disks.
/// </summary>
public static class ClaimNames
{
    /// <summary>Desired claim name → the live claim template mounted at the same path, for the names that differ.</summary>
    public static IReadOnlyDictionary<string, string> Renames(StatefulSet desired, StatefulSet live)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(live);
        var liveClaims = (live.Spec?.VolumeClaimTemplates ?? []).Select(c => c.Metadata?.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var livePaths = Mounts(live).Where(m => liveClaims.Contains(m.Name)).GroupBy(m => m.Path).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in (desired.Spec?.VolumeClaimTemplates ?? []).Select(c => c.Metadata?.Name).OfType<string>().Where(n => !liveClaims.Contains(n)))
        {
            var path = Mounts(desired).FirstOrDefault(m => m.Name == claim).Path;
            if (path is not null && livePaths.TryGetValue(path, out var liveName) && liveName != claim)
            {
                renames[claim] = liveName;
            }
        }

        return renames;
    }

    /// <summary>Rewrites a StatefulSet patch's pod template to mount the live claim names instead.</summary>
    public static void Apply(JsonObject patch, IReadOnlyDictionary<string, string> renames)
    {
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(renames);
        if (renames.Count == 0 || patch["spec"]?["template"]?["spec"] is not JsonObject pod)
        {
            return;
        }

        foreach (var container in new[] { "containers", "initContainers" }.SelectMany(k => pod[k] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var mount in (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>())
            {
                Rename(mount, "name", renames);
            }
        }

        foreach (var volume in (pod["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Rename(volume, "name", renames);
            if (volume["persistentVolumeClaim"] is JsonObject claim)
            {
                Rename(claim, "claimName", renames);
            }
        }
    }

    private static void Rename(JsonObject node, string field, IReadOnlyDictionary<string, string> renames)
    {
        if (node[field] is JsonValue v && v.TryGetValue<string>(out var name) && renames.TryGetValue(name, out var live))
        {
            node[field] = live;
        }
    }

    private static IEnumerable<(string Name, string Path)> Mounts(StatefulSet set) =>
        (set.Spec?.Template?.Spec?.Containers ?? []).Take(1).SelectMany(c => c.VolumeMounts ?? []).Where(m => m.Name is not null && m.MountPath is not null).Select(m => (m.Name!, m.MountPath!));
}
