using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Operator.Cluster;

namespace Doris.Cli.Adoption;

/// <summary>One field that differs between a live object and what dorisctl would make of it.</summary>
internal sealed record Difference(string Path, string Live, string Ours);

/// <summary>What taking over one StatefulSet would do.</summary>
/// <param name="Template">Pod-template differences: any one rolls every pod of the set.</param>
/// <param name="Fixed">Fields Kubernetes fixes at creation that differ: kept as they are (reported, never applied).</param>
/// <param name="Other">Other spec differences, applied without touching pods.</param>
internal sealed record StatefulSetReport(string Name, bool Exists, IReadOnlyList<Difference> Template, IReadOnlyList<string> Fixed, IReadOnlyList<Difference> Other)
{
    public bool Rolls => Exists && Template.Count > 0;
}

/// <summary>
/// Compares the StatefulSets dorisctl renders with live ones the way the operator's update would land: a field we
/// render is compared, a field only the live object has (defaults the API server filled in, fields another tool
/// set) is left alone, as a merge patch leaves it; list items are matched by name where they have one.
/// </summary>
internal static class TemplateComparison
{
    public static StatefulSetReport Compare(StatefulSet desired, JsonObject? live)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var name = desired.Metadata!.Name!;
        if (live is null)
        {
            return new StatefulSetReport(name, false, [], [], []);
        }

        var ours = JsonSerializer.SerializeToNode(desired, KubernetesJsonContext.Default.StatefulSet)!.AsObject();
        var template = new List<Difference>();
        Diff(ours["spec"]?["template"], live["spec"]?["template"], "spec.template", template);
        var other = new List<Difference>();
        foreach (var (key, value) in ours["spec"]?.AsObject() ?? [])
        {
            if (key is not "template" and not "replicas" && !StatefulSetDrift.FixedFields.Contains(key))
            {
                Diff(value, live["spec"]?[key], $"spec.{key}", other);
            }
        }

        var liveTyped = live.Deserialize(KubernetesJsonContext.Default.StatefulSet)!;
        return new StatefulSetReport(name, true, template, StatefulSetDrift.Find(desired, liveTyped), other);
    }

    private static void Diff(JsonNode? ours, JsonNode? live, string path, List<Difference> into)
    {
        switch (ours)
        {
            case null:
                return; // not rendered: whatever the live object has stays
            case JsonObject map:
                if (live is not JsonObject liveMap)
                {
                    into.Add(new Difference(path, Show(live), Show(ours)));
                    return;
                }

                foreach (var (key, value) in map)
                {
                    Diff(value, liveMap[key], $"{path}.{key}", into);
                }

                return;
            case JsonArray list:
                if (live is not JsonArray liveList || liveList.Count != list.Count)
                {
                    into.Add(new Difference(path, Show(live), Show(ours)));
                    return;
                }

                for (var i = 0; i < list.Count; i++)
                {
                    var label = list[i] is JsonObject item && item["name"] is JsonValue n ? $"{path}[{n}]" : $"{path}[{i}]";
                    Diff(list[i], liveList[i], label, into);
                }

                return;
            default:
                if (!Same(ours, live))
                {
                    into.Add(new Difference(path, Show(live), Show(ours)));
                }

                return;
        }
    }

    // Quantities compare by value ("4096Mi" is "4Gi"), numbers by value whether written as text or number.
    private static bool Same(JsonNode ours, JsonNode? live)
    {
        if (JsonNode.DeepEquals(ours, live))
        {
            return true;
        }

        var (a, b) = (ours.ToString(), live?.ToString());
        return b is not null && Quantity.TryParse(a, out var x) && Quantity.TryParse(b, out var y) && x == y;
    }

    // Shown to people: '&&' stays '&&' (the default encoder writes \u0026).
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Show(JsonNode? node)
    {
        return node?.ToJsonString(Readable) ?? "<absent>";
    }
}
