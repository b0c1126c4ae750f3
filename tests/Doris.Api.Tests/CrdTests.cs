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
        var missing = CrdSchema.Fields(OurSchema, string.Empty).Where(f => f.Schema["description"] is null).Select(f => f.Path).ToList();

        missing.ShouldBeEmpty();
        ((string?)OurSchema["properties"]!["spec"]!["properties"]!["feSpec"]!["properties"]!["affinity"]!["description"] ?? string.Empty).ShouldContain("kubectl explain pod.spec.affinity");
    }

    // Our words, not upstream's: no description is copied from upstream's CRD.
    [Fact]
    public void Schema_Descriptions_AreNotUpstreamsText()
    {
        var theirs = CrdSchema.Fields(UpstreamSchema, string.Empty).Where(f => f.Schema["description"] is not null).ToDictionary(f => f.Path, f => (string)f.Schema["description"]!);

        var copied = CrdSchema.Fields(OurSchema, string.Empty)
            .Where(f => theirs.TryGetValue(f.Path, out var text) && string.Equals(text.Trim(), (string?)f.Schema["description"], StringComparison.OrdinalIgnoreCase))
            .Select(f => f.Path).ToList();

        theirs.Count.ShouldBeGreaterThan(1000, "the comparison needs upstream's descriptions");
        copied.ShouldBeEmpty();
    }

    // A client-side kubectl apply stores the whole object in an annotation, which may not exceed 256 KiB.
    [Fact]
    public void Crd_AsKubectlApplyStoresIt_FitsTheAnnotationLimit() =>
        Ours.ToJsonString().Length.ShouldBeLessThan(262_144 - 16_384);

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
        var ours = CrdSchema.Paths(OurSchema).Keys.ToHashSet(StringComparer.Ordinal);
        var missing = CrdSchema.Paths(UpstreamSchema).Keys.Where(p => !ours.Contains(p)).ToList();

        CrdSchema.Paths(UpstreamSchema).Count.ShouldBeGreaterThan(1500);
        missing.ShouldBeEmpty();
    }

    [Fact]
    public void Schema_IsAtLeastAsStrictAsUpstream() =>
        CrdSchema.StrictnessProblems(UpstreamSchema, OurSchema).ShouldBeEmpty();

    [Fact]
    public void Schema_IsStructural_NoReferencesAndTypedObjects()
    {
        var text = OurSchema.ToJsonString();

        text.ShouldNotContain("\"$ref\"");
        foreach (var (path, node) in CrdSchema.Paths(OurSchema))
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
}
