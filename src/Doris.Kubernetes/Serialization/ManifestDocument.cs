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

    /// <summary>
    /// The objects this document holds: a <c>kind: List</c> (or <c>DorisClusterList</c>, as <c>kubectl get -o yaml</c>
    /// prints) gives its items, a top-level sequence of mappings that all name a kind gives each of them, anything else
    /// is itself. Each item keeps the source positions of its fields.
    /// </summary>
    public IEnumerable<ManifestDocument> Expand()
    {
        var (items, prefix) = Root switch
        {
            JsonObject o when o["kind"] is JsonValue k && k.TryGetValue<string>(out var kind) && kind.EndsWith("List", StringComparison.Ordinal) && o["items"] is JsonArray a => (a, "items"),
            JsonArray a when a.Count > 0 && a.All(i => i is JsonObject io && io["kind"] is JsonValue) => (a, string.Empty),
            _ => ((JsonArray?)null, string.Empty),
        };
        if (items is null)
        {
            yield return this;
            yield break;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var at = $"{prefix}[{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}]";
            var locations = Locations.Where(kv => kv.Key.StartsWith(at + ".", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[(at.Length + 1)..], kv => kv.Value, StringComparer.Ordinal);
            yield return new ManifestDocument(items[i]?.DeepClone(), locations, Locate(at));
        }
    }
}
