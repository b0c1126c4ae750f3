using Doris.Api.Validation;
using Doris.Api.Validation.Disaggregated;
using Doris.Kubernetes.Serialization;

namespace Doris.Api.Tests;

/// <summary>
/// DorisDisaggregatedCluster manifests: every upstream example (placeholders filled in, as a user does) reads without
/// an error; each file in InvalidDisaggregated/ is a plausible mistake whose first line names the field to report
/// and a piece of the fix.
/// </summary>
public sealed class DisaggregatedValidationTests
{
    public static TheoryData<string> Invalid() => [.. InvalidManifests.AllDisaggregated.Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(DisaggregatedCrdTests.Examples), MemberType = typeof(DisaggregatedCrdTests))]
    public void Read_UpstreamExample_HasNoErrors(string file)
    {
        foreach (var document in DisaggregatedCrdTests.Documents(file))
        {
            var result = DisaggregatedClusterReader.Read(document);

            result.Issues.Where(i => i.Severity == Severity.Error).ShouldBeEmpty();
            result.Cluster.ShouldNotBeNull();
        }
    }

    [Fact]
    public void Corpus_HasTwentyManifests() => InvalidManifests.AllDisaggregated.Count.ShouldBeGreaterThanOrEqualTo(20);

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Read_InvalidManifest_ReportsTheExpectedFieldAndFix(string file)
    {
        var full = Path.Combine(InvalidManifests.DisaggregatedDirectory, file);
        var (path, message) = InvalidManifests.ExpectationAt(full);
        var document = YamlReader.Read(File.ReadAllText(full), file).ShouldHaveSingleItem();

        var result = DisaggregatedClusterReader.Read(document);

        result.HasErrors.ShouldBeTrue();
        var errors = result.Issues.Where(i => i.Severity == Severity.Error).ToList();
        errors.ShouldContain(i => i.Path == path && i.Message.Contains(message, StringComparison.Ordinal), string.Join("\n", errors));
        errors.ShouldAllBe(i => i.Location != null && i.Location.Source == file);
    }

    [Fact]
    public void Read_DorisClusterDocument_IsNotReadAsDisaggregated()
    {
        var document = YamlReader.Read("apiVersion: doris.selectdb.com/v1\nkind: DorisCluster\nmetadata: {name: c}\nspec: {}\n", "c.yaml").Single();

        var result = DisaggregatedClusterReader.Read(document);

        result.Cluster.ShouldBeNull();
        result.Issues.ShouldHaveSingleItem().Message.ShouldContain("set kind: DorisDisaggregatedCluster");
    }
}
