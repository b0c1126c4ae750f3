using Doris.Api;
using Doris.Api.V1;

namespace Doris.Desired;

/// <summary>
/// Expands <c>persistentVolumes</c> into one volume per mount: entries with a mountPath as written; an entry
/// without one is a template placed at FE <c>meta_dir</c> or at every BE/CN <c>storage_root_path</c> disk.
/// </summary>
internal static class PersistentVolumeResolver
{
    public static IReadOnlyList<PersistentVolume> Resolve(ComponentContext context)
    {
        var shared = (context.ClusterSpec.SharedPersistentVolumeClaims ?? [])
            .Where(s => s.SupportComponents is not { Count: > 0 } list || list.Contains(context.Key))
            .Select(s => ResolveHome(s.MountPath ?? string.Empty, context.Component))
            .ToHashSet(StringComparer.Ordinal);
        var volumes = context.Spec.PersistentVolumes ?? [];
        var result = new List<PersistentVolume>();
        PersistentVolume? template = null;
        foreach (var volume in volumes)
        {
            if (string.IsNullOrEmpty(volume.MountPath))
            {
                template = volume; // upstream: the last template wins
            }
            else if (!shared.Contains(volume.MountPath))
            {
                result.Add(volume);
            }
        }

        if (template is null || context.Component == DorisComponent.Broker)
        {
            return result;
        }

        var paths = context.Component == DorisComponent.Fe ? [context.Config.MetaDir] : StoragePaths(context.Config.StorageRootPath);
        for (var i = 0; i < paths.Count; i++)
        {
            if (shared.Contains(paths[i]) || result.Any(v => v.MountPath == paths[i]))
            {
                continue;
            }

            var name = paths.Count == 1 ? template.Name : $"{template.Name}-{ShortName(paths[i], i)}";
            result.Add(template with { Name = name, MountPath = paths[i] });
        }

        return result;
    }

    /// <summary><c>storage_root_path</c> lists disks separated by ';', each optionally followed by ',medium...' or a '.HDD'/'.SSD' suffix.</summary>
    internal static IReadOnlyList<string> StoragePaths(string storageRootPath) =>
        [.. storageRootPath.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split(',')[0].Trim())
            .Select(p => p.EndsWith(".HDD", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".SSD", StringComparison.OrdinalIgnoreCase) ? p[..^4] : p)
            .Where(p => p.Length > 0)
            .Distinct(StringComparer.Ordinal)];

    /// <summary>A DNS-safe suffix for one disk: its last path segment, with the index when that is empty.</summary>
    private static string ShortName(string path, int index)
    {
        var last = path.TrimEnd('/').Split('/')[^1].ToLowerInvariant();
        var safe = new string([.. last.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        return safe.Length == 0 ? $"disk{index}" : $"{safe}-{index}";
    }

    internal static string ResolveHome(string mountPath, DorisComponent component) =>
        mountPath.Replace("$DORIS_HOME", $"{DorisDefaults.DorisRoot}/{HomeDirectory(component)}", StringComparison.Ordinal);

    private static string HomeDirectory(DorisComponent component) => component switch
    {
        DorisComponent.Fe => "fe",
        DorisComponent.Broker => "apache_hdfs_broker",
        _ => "be",
    };
}
