using Doris.Api.Config;
using Doris.Api.Disaggregated;
using Doris.Kubernetes.Models;

namespace Doris.Desired.Disaggregated;

/// <summary>Which component a volume layout is for: its directories and volume names differ.</summary>
public enum DisaggregatedRole
{
    MetaService,
    Frontend,
    ComputeGroup,
}

/// <summary>
/// Where a component's log, FE meta and compute-group cache directories live, as upstream lays them out
/// (BuildVolumesVolumeMountsAndPVCs): emptyDirs without a claimed volume; with <c>persistentVolume</c> one claim per
/// directory (ms-log, fe-log, fe-meta, be-log, be-storage0..n, then extra mount paths); with <c>persistentVolumes</c>
/// one claim per path named after the path's last segments, a volume without mountPaths serving as the template.
/// </summary>
public static class DisaggregatedVolumes
{
    public const string ManagerAnnotation = "apache.doris.org/pvc-manager";

    public static (List<Volume> Volumes, List<VolumeMount> Mounts, List<PersistentVolumeClaim> Claims) For(DisaggregatedRole role, DisaggregatedComponentSpec spec, ComponentConfig config)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(config);
        if (spec.PersistentVolume is { } single)
        {
            return Single(role, spec, single, config);
        }

        if (spec.PersistentVolumes is { Count: > 0 } many)
        {
            return Many(role, spec, many, config);
        }

        // No claims: the directories are emptyDirs.
        var paths = Named(role, config, withLog: true, extra: []);
        return ([.. paths.Select(p => new Volume { Name = p.Name, EmptyDir = new EmptyDirVolumeSource() })], [.. paths.Select(p => new VolumeMount { Name = p.Name, MountPath = p.Path })], []);
    }

    public static string LogPath(DisaggregatedRole role, ComponentConfig config) => config.Get("sys_log_dir") ?? DisaggregatedPodParts.RootPath + role switch
    {
        DisaggregatedRole.MetaService => "/ms/log",
        DisaggregatedRole.Frontend => "/fe/log",
        _ => "/be/log",
    };

    private static (List<Volume>, List<VolumeMount>, List<PersistentVolumeClaim>) Single(DisaggregatedRole role, DisaggregatedComponentSpec spec, DisaggregatedVolume pv, ComponentConfig config)
    {
        var withLog = pv.LogNotStore != true && spec.LogNotStore != true;
        var paths = Named(role, config, withLog, pv.MountPaths ?? []);
        return Claimed(paths.Select(p => (p.Name, p.Path, pv)).ToList());
    }

    private static (List<Volume>, List<VolumeMount>, List<PersistentVolumeClaim>) Many(DisaggregatedRole role, DisaggregatedComponentSpec spec, IReadOnlyList<DisaggregatedVolume> volumes, ComponentConfig config)
    {
        var required = new List<string>();
        if (role == DisaggregatedRole.Frontend)
        {
            required.Add(MetaPath(config));
        }
        else if (role == DisaggregatedRole.ComputeGroup)
        {
            required.AddRange(DisaggregatedComputeGroupBuilder.CachePaths(config.Get("file_cache_path")));
        }

        required.AddRange(volumes.SelectMany(v => v.MountPaths ?? []));
        if (!volumes.Any(v => v.LogNotStore == true) && spec.LogNotStore != true)
        {
            required.Add(LogPath(role, config));
        }

        // A claim is named after the path's last segment, with more segments in front while the name is taken.
        var pathName = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in required)
        {
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
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
            pathName[path] = name;
        }

        var byPath = new Dictionary<string, DisaggregatedVolume>(StringComparer.Ordinal);
        DisaggregatedVolume? template = null;
        foreach (var volume in volumes)
        {
            if (volume.MountPaths is not { Count: > 0 } mountPaths)
            {
                template = volume;
                continue;
            }

            foreach (var path in mountPaths)
            {
                byPath[path] = volume;
            }
        }

        // From the last path back: a path the user listed takes its own volume before the template's.
        var claimed = new List<(string, string, DisaggregatedVolume)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = required.Count - 1; i >= 0; i--)
        {
            var path = required[i];
            if (!seen.Add(path))
            {
                continue;
            }

            if ((byPath.GetValueOrDefault(path) ?? template) is { } volume)
            {
                claimed.Add((pathName[path].Replace('_', '-'), path, volume));
            }
        }

        return Claimed(claimed);
    }

    private static (List<Volume>, List<VolumeMount>, List<PersistentVolumeClaim>) Claimed(List<(string Name, string Path, DisaggregatedVolume Volume)> paths) =>
        ([.. paths.Select(p => new Volume { Name = p.Name, PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = p.Name } })],
         [.. paths.Select(p => new VolumeMount { Name = p.Name, MountPath = p.Path })],
         [.. paths.Select(p => new PersistentVolumeClaim { Metadata = new ObjectMeta { Name = p.Name, Annotations = Annotations(p.Volume) }, Spec = p.Volume.PersistentVolumeClaimSpec })]);

    private static Dictionary<string, string>? Annotations(DisaggregatedVolume volume)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (volume.Provisioner == "operator")
        {
            annotations[ManagerAnnotation] = "operator";
        }

        foreach (var (k, v) in volume.Annotations ?? new Dictionary<string, string>())
        {
            annotations[k] = v;
        }

        return annotations.Count == 0 ? null : annotations;
    }

    /// <summary>The directories of a component with upstream's volume names, in upstream's order.</summary>
    private static List<(string Name, string Path)> Named(DisaggregatedRole role, ComponentConfig config, bool withLog, IReadOnlyList<string> extra)
    {
        var list = new List<(string Name, string Path)>();
        switch (role)
        {
            case DisaggregatedRole.MetaService:
                if (withLog)
                {
                    list.Add(("ms-log", LogPath(role, config)));
                }

                break;
            case DisaggregatedRole.Frontend:
                if (withLog)
                {
                    list.Add(("fe-log", LogPath(role, config)));
                }

                list.Add(("fe-meta", MetaPath(config)));
                break;
            default:
                if (withLog)
                {
                    list.Add(("be-log", LogPath(role, config)));
                }

                var caches = DisaggregatedComputeGroupBuilder.CachePaths(config.Get("file_cache_path"));
                list.AddRange(caches.Select((p, i) => ($"be-storage{i}", p)));
                var next = caches.Count;
                foreach (var path in extra.Where(p => list.All(l => l.Path != p)))
                {
                    list.Add(($"be-storage{next++}", path));
                }

                break;
        }

        return list;
    }

    private static string MetaPath(ComponentConfig config) => config.Get("meta_dir") ?? DisaggregatedPodParts.RootPath + "/fe/doris-meta";
}
