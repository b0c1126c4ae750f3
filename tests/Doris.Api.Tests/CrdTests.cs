using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Crd;
using Doris.Kubernetes.Schema;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Api.Tests;

public sealed class CrdTests
{
    private static readonly JsonObject Upstream = (JsonObject)YamlReader.Read(File.ReadAllText(SharedFiles.UpstreamCrd), "upstream-crd.yaml")[0].Root!;

    private static JsonObject Ours => (JsonObject)JsonSerializer.SerializeToNode(DorisClusterCrd.Build(), KubernetesJsonContext.Default.CustomResourceDefinition)!;

    private static JsonNode UpstreamSchema => Upstream["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;

    private static JsonNode OurSchema => Ours["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;

    [Fact]
    public void Crd_Identity_MatchesUpstream()
    {
        var ours = Ours["spec"]!;
        var theirs = Upstream["spec"]!;

        ((string?)Ours["metadata"]!["name"]).ShouldBe((string?)Upstream["metadata"]!["name"]);
        ((string?)ours["group"]).ShouldBe("doris.selectdb.com");
        ((string?)ours["scope"]).ShouldBe((string?)theirs["scope"]);
        ours["names"]!.ToJsonString().ShouldBe(theirs["names"]!.ToJsonString());
        var version = ours["versions"]![0]!;
        ((string?)version["name"]).ShouldBe("v1");
        ((bool)version["served"]!).ShouldBeTrue();
        ((bool)version["storage"]!).ShouldBeTrue();
        version["subresources"]!["status"].ShouldNotBeNull();
    }

    // kubectl explain shows these; a field without one reads as undocumented.
    [Fact]
    public void Schema_EveryField_HasADescription()
    {
        var missing = Fields(OurSchema, string.Empty).Where(f => f.Schema["description"] is null).Select(f => f.Path).ToList();

        missing.ShouldBeEmpty();
        ((string?)OurSchema["properties"]!["spec"]!["properties"]!["feSpec"]!["properties"]!["affinity"]!["description"] ?? string.Empty).ShouldContain("kubectl explain pod.spec.affinity");
    }

    // Our words, not upstream's: no description is copied from upstream's CRD.
    [Fact]
    public void Schema_Descriptions_AreNotUpstreamsText()
    {
        var theirs = Fields(UpstreamSchema, string.Empty).Where(f => f.Schema["description"] is not null).ToDictionary(f => f.Path, f => (string)f.Schema["description"]!);

        var copied = Fields(OurSchema, string.Empty)
            .Where(f => theirs.TryGetValue(f.Path, out var text) && string.Equals(text.Trim(), (string?)f.Schema["description"], StringComparison.OrdinalIgnoreCase))
            .Select(f => f.Path).ToList();

        theirs.Count.ShouldBeGreaterThan(1000, "the comparison needs upstream's descriptions");
        copied.ShouldBeEmpty();
    }

    // A client-side kubectl apply stores the whole object in an annotation, which may not exceed 256 KiB.
    [Fact]
    public void Crd_AsKubectlApplyStoresIt_FitsTheAnnotationLimit() =>
        Ours.ToJsonString().Length.ShouldBeLessThan(262_144 - 16_384);

    private static IEnumerable<(string Path, JsonObject Schema)> Fields(JsonNode schema, string path)
    {
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                yield return (path + "." + name, (JsonObject)child!);
                foreach (var inner in Fields(child!, path + "." + name))
                {
                    yield return inner;
                }
            }
        }

        foreach (var nested in new[] { "items", "additionalProperties" })
        {
            if (schema[nested] is JsonObject child)
            {
                foreach (var inner in Fields(child, path + "[]"))
                {
                    yield return inner;
                }
            }
        }
    }

    [Fact]
    public void Crd_PrinterColumns_IncludeEveryUpstreamColumn()
    {
        var ours = Ours["spec"]!["versions"]![0]!["additionalPrinterColumns"]!.AsArray().Select(c => c!.ToJsonString()).ToList();

        foreach (var column in Upstream["spec"]!["versions"]![0]!["additionalPrinterColumns"]!.AsArray())
        {
            ours.ShouldContain(column!.ToJsonString());
        }
    }

    [Fact]
    public void Schema_ContainsEveryUpstreamPropertyPath()
    {
        var ours = Paths(OurSchema).Keys.ToHashSet(StringComparer.Ordinal);
        var missing = Paths(UpstreamSchema).Keys.Where(p => !ours.Contains(p)).ToList();

        Paths(UpstreamSchema).Count.ShouldBeGreaterThan(1500);
        missing.ShouldBeEmpty();
    }

    [Fact]
    public void Schema_IsAtLeastAsStrictAsUpstream()
    {
        var ours = Paths(OurSchema);
        var problems = new List<string>();
        foreach (var (path, theirs) in Paths(UpstreamSchema))
        {
            var mine = ours[path];
            foreach (var required in theirs["required"]?.AsArray().Select(r => (string)r!) ?? [])
            {
                if (mine["required"]?.AsArray().Any(r => (string?)r == required) != true)
                {
                    problems.Add($"{path}: upstream requires '{required}', we do not");
                }
            }

            if (theirs["minimum"] is { } min && (mine["minimum"] is not { } ourMin || ourMin.GetValue<long>() < min.GetValue<long>()))
            {
                problems.Add($"{path}: upstream has minimum {min}, we have {mine["minimum"]?.ToJsonString() ?? "none"}");
            }

            foreach (var key in new[] { "pattern", "x-kubernetes-int-or-string", "type", "format" })
            {
                if (theirs[key] is { } value && mine[key]?.ToJsonString() != value.ToJsonString())
                {
                    problems.Add($"{path}: upstream {key} {value.ToJsonString()}, ours {mine[key]?.ToJsonString() ?? "none"}");
                }
            }

            if (theirs["type"] is not null && (string?)theirs["type"] == "object" && theirs["properties"] is not null && mine["x-kubernetes-preserve-unknown-fields"] is not null)
            {
                problems.Add($"{path}: upstream rejects unknown fields here, ours preserves them");
            }
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Schema_IsStructural_NoReferencesAndTypedObjects()
    {
        var text = OurSchema.ToJsonString();

        text.ShouldNotContain("\"$ref\"");
        foreach (var (path, node) in Paths(OurSchema))
        {
            if (node["properties"] is not null)
            {
                ((string?)node["type"]).ShouldBe("object", path);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ExampleTests.Examples), MemberType = typeof(ExampleTests))]
    public void Schema_AcceptsExample(string file)
    {
        foreach (var document in ExampleTests.DorisDocuments(file))
        {
            new SchemaValidator().Validate(document.Root, OurSchema).ShouldBeEmpty();
        }
    }

    [Fact]
    public void Crd_ValidatesAgainstTheKubernetesSchema() =>
        KubernetesSwagger.Validate(Ours).ShouldBeEmpty();

    /// <summary>Every schema node by property path (<c>.spec.feSpec.envVars[]</c>), walking properties, items and additionalProperties.</summary>
    private static Dictionary<string, JsonNode> Paths(JsonNode schema)
    {
        var result = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        void Walk(JsonNode node, string path)
        {
            result[path] = node;
            foreach (var (k, child) in node["properties"] as JsonObject ?? [])
            {
                Walk(child!, $"{path}.{k}");
            }

            if (node["items"] is JsonObject items)
            {
                Walk(items, path + "[]");
            }

            if (node["additionalProperties"] is JsonObject additional)
            {
                Walk(additional, path + "{}");
            }
        }

        Walk(schema, string.Empty);
        return result;
    }
}
