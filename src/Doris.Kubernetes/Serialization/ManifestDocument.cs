using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Serialization;

/// <summary>One YAML document as JSON, with the source position of every field path (<c>spec.feSpec.replicas</c>).</summary>
public sealed record ManifestDocument(JsonNode? Root, IReadOnlyDictionary<string, SourceLocation> Locations, SourceLocation Start)
{
    /// <summary>The closest known location for a path: the path itself, else its nearest parent, else the document start.</summary>
    public SourceLocation Locate(string path)
    {
        var p = path;
        while (p.Length > 0)
        {
            if (Locations.TryGetValue(p, out var at))
            {
                return at;
            }

            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut <= 0 ? string.Empty : p[..cut];
        }

        return Start;
    }
}
