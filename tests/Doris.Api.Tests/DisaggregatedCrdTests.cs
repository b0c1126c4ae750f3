using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Crd;
using Doris.Api.Serialization;
using Doris.Kubernetes.Schema;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Api.Tests;

/// <summary>Our DorisDisaggregatedCluster CRD against upstream's: the same identity, every field, at least as strict.</summary>
public sealed class DisaggregatedCrdTests
{
    private static readonly JsonObject Upstream = (JsonObject)YamlReader.Read(File.ReadAllText(SharedFiles.UpstreamDisaggregatedCrd), "upstream-ddc-crd.yaml")[0].Root!;

    private static JsonObject Ours => (JsonObject)JsonSerializer.SerializeToNode(DorisDisaggregatedClusterCrd.Build(), KubernetesJsonContext.Default.CustomResourceDefinition)!;

    private static JsonNode UpstreamSchema => Upstream["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;

    private static JsonNode OurSchema => Ours["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;

    public static TheoryData<string> Examples() => [.. SharedFiles.UpstreamDisaggregatedExamples.Select(Path.GetFileName).OfType<string>()];

    /// <summary>An upstream example as a user applies it (placeholders filled, see <see cref="UpstreamPlaceholders"/>).</summary>
    internal static IEnumerable<ManifestDocument> Documents(string file) =>
        YamlReader.Read(UpstreamPlaceholders.Fill(File.ReadAllText(SharedFiles.UpstreamDisaggregatedExamples.Single(f => Path.GetFileName(f) == file))), file)
            .Where(d => (string?)d.Root?["kind"] == DorisDisaggregatedClusterCrd.Kind);

    [Fact]
    public void Crd_Identity_MatchesUpstream()
    {
        ((string?)Ours["metadata"]!["name"]).ShouldBe((string?)Upstream["metadata"]!["name"]);
        ((string?)Ours["spec"]!["group"]).ShouldBe((string?)Upstream["spec"]!["group"]);
        ((string?)Ours["spec"]!["scope"]).ShouldBe((string?)Upstream["spec"]!["scope"]);
        Ours["spec"]!["names"]!.ToJsonString().ShouldBe(Upstream["spec"]!["names"]!.ToJsonString());
        Ours["spec"]!["versions"]![0]!["subresources"]!["status"].ShouldNotBeNull();
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
    public void Schema_ContainsEveryUpstreamPropertyPath_AndIsAtLeastAsStrict()
    {
        CrdSchema.Paths(UpstreamSchema).Count.ShouldBeGreaterThan(1000);

        CrdSchema.StrictnessProblems(UpstreamSchema, OurSchema).ShouldBeEmpty();
    }

    [Fact]
    public void Schema_EveryField_HasOurOwnDescription()
    {
        var theirs = CrdSchema.Fields(UpstreamSchema, string.Empty).Where(f => f.Schema["description"] is not null).ToDictionary(f => f.Path, f => (string)f.Schema["description"]!);
        var fields = CrdSchema.Fields(OurSchema, string.Empty).ToList();

        fields.Where(f => f.Schema["description"] is null).Select(f => f.Path).ShouldBeEmpty();
        fields.Where(f => theirs.TryGetValue(f.Path, out var text) && string.Equals(text.Trim(), (string?)f.Schema["description"], StringComparison.OrdinalIgnoreCase))
            .Select(f => f.Path).ShouldBeEmpty("no description is copied from upstream");
    }

    [Fact]
    public void Crd_ValidatesAgainstTheKubernetesSchema_AndFitsKubectlApply()
    {
        KubernetesSwagger.Validate(Ours).ShouldBeEmpty();
        Ours.ToJsonString().Length.ShouldBeLessThan(262_144 - 16_384);
    }

    [Fact]
    public void UpstreamExamples_AllSixteenPresent() => SharedFiles.UpstreamDisaggregatedExamples.Count.ShouldBe(16);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Schema_AcceptsUpstreamExample(string file)
    {
        foreach (var document in Documents(file))
        {
            new SchemaValidator().Validate(document.Root, OurSchema).ShouldBeEmpty();
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void RoundTrip_UpstreamExample_LosesNoField(string file)
    {
        foreach (var document in Documents(file))
        {
            var cluster = document.Root.Deserialize(DorisApiJsonContext.Default.DorisDisaggregatedCluster)!;
            var written = JsonSerializer.SerializeToNode(cluster, DorisApiJsonContext.Default.DorisDisaggregatedCluster);

            Json.Leaves(written).ShouldBe(Json.Leaves(document.Root));
        }
    }
}
