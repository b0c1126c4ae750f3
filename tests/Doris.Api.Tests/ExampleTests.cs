using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Serialization;
using Doris.Api.Validation;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Api.Tests;

public sealed class ExampleTests
{
    public static TheoryData<string> Examples() => [.. SharedFiles.UpstreamExamples.Concat(SharedFiles.OurExamples)];

    [Fact]
    public void UpstreamExamples_AllNinePresent() => SharedFiles.UpstreamExamples.Count.ShouldBe(9);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Read_Example_HasNoErrors(string file)
    {
        foreach (var document in DorisDocuments(file))
        {
            var result = DorisClusterReader.Read(document);

            result.Issues.Where(i => i.Severity == Severity.Error).ShouldBeEmpty();
            result.Cluster.ShouldNotBeNull();
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void RoundTrip_YamlToRecordsToYaml_LosesNoField(string file)
    {
        foreach (var document in DorisDocuments(file))
        {
            var cluster = document.Root.Deserialize(DorisApiJsonContext.Default.DorisCluster)!;
            var written = JsonSerializer.SerializeToNode(cluster, DorisApiJsonContext.Default.DorisCluster);
            var reread = YamlReader.Read(YamlWriter.Write(written), "written.yaml").ShouldHaveSingleItem().Root;

            Json.Leaves(written).ShouldBe(Json.Leaves(document.Root));
            Json.Leaves(reread).ShouldBe(Json.Leaves(document.Root));
        }
    }

    [Fact]
    public void RoundTrip_UnknownFields_AreKeptNotDropped()
    {
        var document = YamlReader.Read("apiVersion: doris.selectdb.com/v1\nkind: DorisCluster\nmetadata: {name: d}\nspec:\n  futureField: 1\n  feSpec: {replicas: 1, image: i, futureFe: x}\n", "t.yaml")[0];

        var cluster = document.Root.Deserialize(DorisApiJsonContext.Default.DorisCluster)!;

        Json.Leaves(JsonSerializer.SerializeToNode(cluster, DorisApiJsonContext.Default.DorisCluster)).ShouldBe(Json.Leaves(document.Root));
    }

    internal static IEnumerable<ManifestDocument> DorisDocuments(string file) =>
        YamlReader.Read(File.ReadAllText(file), Path.GetFileName(file)).Where(d => (string?)d.Root?["kind"] == "DorisCluster");
}
