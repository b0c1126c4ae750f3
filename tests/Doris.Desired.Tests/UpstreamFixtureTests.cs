using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Desired.Tests;

/// <summary>
/// Our render of each upstream example against a fixture of what apache/doris-operator renders for it
/// (<c>Upstream/*.yaml</c>, written by reading its Go builders at c418a18, not by running ours), compared leaf by
/// leaf: every difference must be one of the rows of docs/compatibility.md that <see cref="UpstreamDifferences"/>
/// lists, and each such row must be needed by some example, so neither side can drift unnoticed.
/// </summary>
public sealed class UpstreamFixtureTests
{
    // Upstream's nine examples, and the cluster the sandbox hands over (examples/handover: its upstream render is
    // the fixture there, so `dorisctl sandbox --handover` starts from what upstream would have made).
    public static TheoryData<string> Examples() => [.. AllExamples];

    private static IEnumerable<string> AllExamples => SharedFiles.UpstreamExamples.Select(f => Path.GetFileName(f)).Append(Adoption);

    private const string Adoption = "adoption";

    [Theory]
    [MemberData(nameof(Examples))]
    public void Render_AgainstUpstreamFixture_DiffersOnlyInDocumentedWays(string example)
    {
        var unexplained = Differences(example).Where(d => UpstreamDifferences.Explain(d) is null).Select(d => d.ToString()).ToList();

        unexplained.ShouldBeEmpty($"{example}: differences from upstream's render that docs/compatibility.md does not list:\n  {string.Join("\n  ", unexplained)}");
    }

    [Fact]
    public void Differences_EveryListedRow_IsNeededByAnExampleAndNamedInTheDocs()
    {
        var used = AllExamples
            .SelectMany(Differences).Select(UpstreamDifferences.Explain).OfType<UpstreamDifferences.Row>().ToHashSet();
        var doc = File.ReadAllText(Path.Combine(SharedFiles.RepositoryRoot, "docs", "compatibility.md"));

        UpstreamDifferences.Rows.Where(r => !used.Contains(r)).Select(r => r.Area).ShouldBeEmpty("rows no example needs: drop them or make them narrower");
        UpstreamDifferences.Rows.Select(r => r.Area).Where(a => !doc.Contains($"| {a} |", StringComparison.Ordinal)).ShouldBeEmpty("rows docs/compatibility.md does not have");
    }

    [Fact]
    public void Comparison_AChangedFixtureValue_IsReported()
    {
        // The comparison itself must be able to fail: an env value upstream does not render is caught.
        var upstream = Objects(YamlReader.Read("kind: StatefulSet\nmetadata: {name: s}\nspec: {template: {spec: {containers: [{name: be, env: [{name: A, value: '1'}]}]}}}\n", "u.yaml").Select(d => d.Root!));
        var ours = Objects(YamlReader.Read("kind: StatefulSet\nmetadata: {name: s}\nspec: {template: {spec: {containers: [{name: be, env: [{name: A, value: '2'}]}]}}}\n", "o.yaml").Select(d => d.Root!));

        var found = LeafDiff.Between(upstream, ours).Single();

        found.Path.ShouldBe("spec.template.spec.containers[0].env[0].value");
        UpstreamDifferences.Explain(found).ShouldBeNull();
    }

    private static List<LeafDiff> Differences(string example)
    {
        var fixture = Path.Combine(SharedFiles.SourceDirectory(), "Upstream", example);
        if (example == Adoption)
        {
            fixture = Path.Combine(SharedFiles.RepositoryRoot, "examples", "handover", "upstream-objects.yaml");
        }

        var upstream = Objects(YamlReader.Read(File.ReadAllText(fixture), example).Select(d => d.Root!));
        var (cluster, configMaps) = Render.Load(example == Adoption
            ? Path.Combine(SharedFiles.RepositoryRoot, "examples", "handover", "cluster.yaml")
            : Path.Combine(Path.GetDirectoryName(SharedFiles.UpstreamExamples[0])!, example));
        foreach (var (name, configMap) in ConfigMaps.Value)
        {
            configMaps.TryAdd(name, configMap);
        }

        var ours = Objects(DesiredClusterBuilder.Build(cluster, configMaps).Objects.Select(o => (JsonNode)Render.Node(o)));
        return LeafDiff.Between(upstream, ours);
    }

    // The ConfigMaps the examples name but do not carry (upstream renders nothing without them).
    private static readonly Lazy<Dictionary<string, ConfigMap>> ConfigMaps = new(() =>
        YamlReader.Read(File.ReadAllText(Path.Combine(SharedFiles.SourceDirectory(), "Upstream", "configmaps.yaml")), "configmaps.yaml")
            .Select(d => d.Root.Deserialize(KubernetesJsonContext.Default.ConfigMap)!)
            .ToDictionary(c => c.Metadata!.Name!, StringComparer.Ordinal));

    private static Dictionary<string, JsonObject> Objects(IEnumerable<JsonNode> docs) =>
        docs.Select(d => d.AsObject()).ToDictionary(o => $"{(string?)o["kind"]}/{(string?)o["metadata"]?["name"]}", StringComparer.Ordinal);
}
