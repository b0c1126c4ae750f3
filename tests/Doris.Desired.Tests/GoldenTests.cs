using Doris.Testing;

namespace Doris.Desired.Tests;

/// <summary>Pins the rendered objects of every upstream and project example; UPDATE_GOLDEN=1 rewrites them for review.</summary>
public sealed class GoldenTests
{
    public static TheoryData<string> Examples() => [.. SharedFiles.UpstreamExamples.Concat(SharedFiles.OurExamples)];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Render_Example_MatchesGoldenFile(string file)
    {
        var yaml = Render.ToYaml(Render.File(file));

        Golden.Match(yaml, Path.Combine(SharedFiles.SourceDirectory(), "Golden", Path.GetFileName(file)));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Render_SameInputTwice_GivesIdenticalOutput(string file) =>
        Render.ToYaml(Render.File(file)).ShouldBe(Render.ToYaml(Render.File(file)));
}
