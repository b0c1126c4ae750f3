using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Api.Validation;
using Doris.Kubernetes.Serialization;

namespace Doris.Cli.Input;

/// <summary>
/// Applies the placement snippet <c>dorisctl eks plan</c> writes (doris-placement.yaml: node selectors, tolerations,
/// affinity and annotations per component) to a DorisCluster: maps merge key by key with the snippet winning, lists
/// are replaced, and the result is read and checked like any manifest, so a snippet that does not fit is refused.
/// </summary>
internal static class PlacementMerge
{
    public static DorisCluster Apply(DorisCluster cluster, string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Unreadable, $"--placement {path}: {e.Message}");
        }

        IReadOnlyList<ManifestDocument> documents;
        try
        {
            documents = YamlReader.Read(text, path);
        }
        catch (ManifestException e)
        {
            throw new CliException(ExitCodes.Unreadable, $"--placement {e.Message}");
        }

        if (documents is not [{ Root: JsonObject placement }] || placement["spec"] is not JsonObject || placement.Count != 1)
        {
            throw new CliException(ExitCodes.Invalid, $"--placement {path}: expected one document with only a 'spec' of component placements (what dorisctl eks plan writes as doris-placement.yaml)");
        }

        var merged = JsonSerializer.SerializeToNode(cluster, DorisApiJsonContext.Default.DorisCluster)!.AsObject();
        Merge(merged, placement);
        var read = DorisClusterReader.Read(YamlReader.Read(merged.ToJsonString(), $"{path} merged").Single());
        if (read.HasErrors)
        {
            throw new CliException(ExitCodes.Invalid, $"--placement {path}: the merged cluster is invalid: {string.Join("; ", read.Issues.Where(i => i.Severity == Severity.Error))}");
        }

        return read.Cluster!;
    }

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            if (value is JsonObject map && target[key] is JsonObject existing)
            {
                Merge(existing, map);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}
