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
        var names = PathNames(paths);
        for (var i = 0; i < paths.Count; i++)
        {
            if (shared.Contains(paths[i]) || result.Any(v => v.MountPath == paths[i]))
            {
                continue;
            }

            // Claim names are upstream's exactly: a StatefulSet's claim templates cannot change, so an adopted
            // cluster's BEs only find their disks again if every name matches what upstream created.
            var name = paths.Count == 1 ? template.Name : $"{template.Name}-{names[i]}";
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

    /// <summary>
    /// Upstream's name for each disk (doris-operator <c>GetNameOfEachPath</c>): the last path segment, with parent
    /// segments prepended ('-'-joined) only while that name is already taken by an earlier path, underscores as '-'.
    /// <c>/home/disk1/doris;/home/disk2/doris</c> gives <c>doris</c> and <c>disk2-doris</c>.
    /// </summary>
    internal static IReadOnlyList<string> PathNames(IReadOnlyList<string> paths)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var path in paths)
        {
            var segments = path.Split('/').Where(p => p.Length > 0).ToArray();
            var name = string.Empty;
            for (var i = segments.Length - 1; i >= 0; i--)
            {
                name = name.Length == 0 ? segments[i] : segments[i] + "-" + name;
                if (!taken.Contains(name))
                {
                    break;
                }
            }

            taken.Add(name);
            names.Add(name.Replace('_', '-'));
        }

        return names;
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
