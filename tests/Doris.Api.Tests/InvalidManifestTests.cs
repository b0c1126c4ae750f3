using Doris.Api.Validation;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Api.Tests;

/// <summary>
/// Each file in Invalid/ is a manifest a user could plausibly write, with its first line saying which
/// field path must be reported and a piece of the message (<c># expect: path: text</c>).
/// </summary>
public sealed class InvalidManifestTests
{
    public static TheoryData<string> Files() => [.. InvalidManifests.All.Select(f => Path.GetFileName(f))];

    [Fact]
    public void Corpus_HasAtLeastThirtyManifests() => InvalidManifests.All.Count.ShouldBeGreaterThanOrEqualTo(30);

    [Theory]
    [MemberData(nameof(Files))]
    public void Read_InvalidManifest_ReportsTheExpectedFieldAndFix(string file)
    {
        var (path, message) = InvalidManifests.Expectation(file);
        var document = YamlReader.Read(File.ReadAllText(InvalidManifests.PathOf(file)), file).ShouldHaveSingleItem();

        var result = DorisClusterReader.Read(document);

        result.HasErrors.ShouldBeTrue();
        var errors = result.Issues.Where(i => i.Severity == Severity.Error).ToList();
        errors.ShouldContain(i => i.Path == path && i.Message.Contains(message, StringComparison.Ordinal), string.Join("\n", errors));
        errors.ShouldAllBe(i => i.Location != null && i.Location.Source == file);
    }
}
