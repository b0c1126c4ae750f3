using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Eks.Planning;

namespace Doris.Eks.Lint;

/// <summary>A node group of an eksctl ClusterConfig, read leniently (map- or list-form taints, missing fields).</summary>
internal sealed record LintGroup(JsonObject Node, string Path, bool Managed)
{
    public string Name => Str(Node["name"]) ?? "<unnamed>";

    public IReadOnlyList<string> InstanceTypes =>
        Node["instancesDistribution"]?["instanceTypes"] is JsonArray mixed ? Strings(mixed)
        : Node["instanceTypes"] is JsonArray list ? Strings(list)
        : Str(Node["instanceType"]) is { } single && single != "mixed" ? [single]
        : [];

    public string InstanceTypesPath => Node["instancesDistribution"]?["instanceTypes"] is not null ? Path + ".instancesDistribution.instanceTypes"
        : Node["instanceTypes"] is not null ? Path + ".instanceTypes" : Path + ".instanceType";

    public bool Spot => Managed ? Node["spot"] is JsonValue s && s.GetValueKind() == JsonValueKind.True
        : Node["instancesDistribution"] is JsonObject d && Int(d["onDemandPercentageAboveBaseCapacity"]) is { } p && p < 100 || Str(Labels.GetValueOrDefault(PlanDefaults.TypeLabel)) == "spot";

    public IReadOnlyDictionary<string, string> Labels => Node["labels"] is JsonObject o
        ? o.Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.ToString(), StringComparer.Ordinal)
        : new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Tags => Node["tags"] is JsonObject o
        ? o.Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.ToString(), StringComparer.Ordinal)
        : new Dictionary<string, string>();

    /// <summary>Taints as (key, value, effect), from the list form or eksctl's map form <c>key: "value:Effect"</c>.</summary>
    public IReadOnlyList<(string Key, string Value, string Effect)> Taints => Node["taints"] switch
    {
        JsonArray list => [.. list.OfType<JsonObject>().Select(t => (Str(t["key"]) ?? string.Empty, Str(t["value"]) ?? string.Empty, Str(t["effect"]) ?? string.Empty))],
        JsonObject map => [.. map.Select(kv => (kv.Key, (kv.Value?.ToString() ?? string.Empty).Split(':')[0], (kv.Value?.ToString() ?? string.Empty).Contains(':', StringComparison.Ordinal) ? kv.Value!.ToString().Split(':')[1] : string.Empty))],
        _ => [],
    };

    public IReadOnlyList<string> Zones => Node["availabilityZones"] is JsonArray a ? Strings(a) : [];

    public int MinSize => Int(Node["minSize"]) ?? 0;

    public int MaxSize => Int(Node["maxSize"]) ?? MinSize;

    public string AmiFamily => Str(Node["amiFamily"]) ?? "AmazonLinux2023";

    public string Role => Labels.GetValueOrDefault(PlanDefaults.RoleLabel) ?? string.Empty;

    public bool Stateful => Role is "fe" or "be";

    /// <summary>Every command and NodeConfig text the group runs at boot, for finding host tuning.</summary>
    public string BootText => string.Join("\n", (Node["preBootstrapCommands"] is JsonArray c ? Strings(c) : []).Append(Str(Node["overrideBootstrapCommand"]) ?? string.Empty));

    public static string? Str(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n is JsonValue other ? other.ToJsonString() : null;

    public static bool IsTrue(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    public static int? Int(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number && int.TryParse(v.ToJsonString(), out var i) ? i : null;

    public static IReadOnlyList<string> Strings(JsonArray a) => [.. a.Select(x => Str(x) ?? string.Empty)];
}
