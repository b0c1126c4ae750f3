using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Http;
using Doris.Testing;

namespace Doris.Kubernetes.Emulator.Tests;

public sealed class StrategicMergeTests
{
    // The merge keys are facts of the Kubernetes API: each must be what the v1.34 OpenAPI declares for that field.
    [Fact]
    public void MergeKeys_AreThoseTheKubernetesSchemaDeclares()
    {
        var declared = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var strategies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, definition) in JsonNode.Parse(File.ReadAllText(SharedFiles.Reference("kubernetes", "swagger.json")))!["definitions"]!.AsObject())
        {
            foreach (var (field, schema) in definition?["properties"]?.AsObject() ?? [])
            {
                if (((string?)schema?["x-kubernetes-patch-strategy"])?.Contains("merge", StringComparison.Ordinal) == true)
                {
                    strategies[field] = "merge";
                    if ((string?)schema!["x-kubernetes-patch-merge-key"] is { } key)
                    {
                        (declared.TryGetValue(field, out var set) ? set : declared[field] = []).Add(key);
                    }
                }
            }
        }

        foreach (var (field, key) in StrategicMerge.MergeKeys)
        {
            declared.GetValueOrDefault(field).ShouldNotBeNull($"{field} has no merge strategy in the schema").ShouldContain(key);
        }

        foreach (var field in StrategicMerge.MergedPrimitiveLists)
        {
            strategies.ShouldContainKey(field);
        }
    }

    [Fact]
    public void Apply_LongListsWithOrderAndDeletes_MergesByKeyInOrder()
    {
        var live = new JsonObject { ["env"] = new JsonArray([.. Enumerable.Range(0, 20_000).Select(i => (JsonNode?)new JsonObject { ["name"] = $"V{i}", ["value"] = "old" })]) };
        var patch = new JsonObject
        {
            ["$setElementOrder/env"] = new JsonArray([.. Enumerable.Range(0, 20_000).Reverse().Select(i => (JsonNode?)new JsonObject { ["name"] = $"V{i}" })]),
            ["env"] = new JsonArray(new JsonObject { ["name"] = "V5", ["value"] = "new" }, new JsonObject { ["name"] = "V6", ["$patch"] = "delete" }, new JsonObject { ["name"] = "NEW", ["value"] = "x" }),
        };

        var env = StrategicMerge.Apply(live, patch)!["env"]!.AsArray();

        env.Count.ShouldBe(20_000);
        ((string)env[0]!["name"]!).ShouldBe("V19999", "in the order $setElementOrder gives");
        env.Single(e => (string)e!["name"]! == "V5")!["value"]!.ToString().ShouldBe("new");
        env.ShouldNotContain(e => (string)e!["name"]! == "V6");
        ((string)env[^1]!["name"]!).ShouldBe("NEW", "an item the order does not name keeps its place at the end");
    }
}
