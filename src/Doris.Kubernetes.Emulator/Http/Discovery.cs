using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Registry;
using Doris.Kubernetes.Emulator.Storage;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>The discovery documents kubectl and clients read to map kinds to URLs.</summary>
internal static class Discovery
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "34",
        ["gitVersion"] = "v1.34.0-dorisctl-emulator",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-11-22T00:00:00Z",
        ["goVersion"] = "go1.24",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions() => new() { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1"), ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "127.0.0.1" }) };

    public static JsonObject Groups(ResourceRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. registry.All.Where(t => t.Group.Length > 0).GroupBy(t => t.Group).Select(g => (JsonNode?)Group(g.Key, [.. g.Select(t => t.Version).Distinct()]))]),
    };

    public static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        var list = new JsonArray([.. versions.Select(v => (JsonNode?)new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v })]);
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = list,
            ["preferredVersion"] = list[0]!.DeepClone(),
        };
    }

    public static JsonObject Resources(ResourceRegistry registry, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var t in registry.All.Where(t => t.Group == group && t.Version == version))
        {
            resources.Add((JsonNode)new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray([.. AllVerbs.Select(v => (JsonNode?)JsonValue.Create(v))]),
                ["shortNames"] = new JsonArray([.. t.ShortNames.Select(s => (JsonNode?)JsonValue.Create(s))]),
            });
            if (t.HasStatusSubresource)
            {
                resources.Add((JsonNode)new JsonObject
                {
                    ["name"] = t.Plural + "/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = t.Namespaced,
                    ["kind"] = t.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }

            if (t is { Kind: "Pod", Group: "" })
            {
                resources.Add((JsonNode)new JsonObject
                {
                    ["name"] = "pods/eviction",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = true,
                    ["group"] = "policy",
                    ["version"] = "v1",
                    ["kind"] = "Eviction",
                    ["verbs"] = new JsonArray("create"),
                });
            }

            if (t.Scale is not null)
            {
                resources.Add((JsonNode)new JsonObject
                {
                    ["name"] = t.Plural + "/scale",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = t.Namespaced,
                    ["group"] = "autoscaling",
                    ["version"] = "v1",
                    ["kind"] = "Scale",
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    public static bool Serves(ResourceRegistry registry, string group, string version) =>
        registry.All.Any(t => t.Group == group && t.Version == version);

    public static ApiError NotFound() => new(404, "NotFound", "the server could not find the requested resource");
}
