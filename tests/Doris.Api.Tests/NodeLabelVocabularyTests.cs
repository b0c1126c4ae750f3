using Doris.Api.Naming;
using Doris.Testing;

namespace Doris.Api.Tests;

/// <summary>
/// The node-label vocabulary has one source: the planner that labels nodes, its linter and placement snippet, the
/// operator's Spot placement and the simulated fleet all take it from <see cref="NodeLabels"/>, so a manifest
/// written for planned nodes schedules on them (the planner once said "ondemand" and the simulation "on-demand").
/// </summary>
public sealed class NodeLabelVocabularyTests
{
    [Fact]
    public void Sources_SpellNoNodeLabelKeyOutsideTheVocabulary()
    {
        var src = Path.Combine(SharedFiles.RepositoryRoot, "src");
        var offenders = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.EndsWith("NodeLabels.cs", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => x.line.Contains("\"node.spotmax/", StringComparison.Ordinal) || x.line.Contains("\"eks.amazonaws.com/capacityType\"", StringComparison.Ordinal) || x.line.Contains("\"karpenter.sh/capacity-type\"", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(src, x.f)}:{x.i + 1}")
            .ToList();

        offenders.ShouldBeEmpty();
    }

    [Fact]
    public void Examples_SelectNodesByTheVocabularysValues()
    {
        var production = File.ReadAllText(Path.Combine(SharedFiles.RepositoryRoot, "examples", "production.yaml"));

        production.ShouldContain($"{NodeLabels.Type}: {NodeLabels.OnDemand}");
        production.ShouldContain($"{NodeLabels.Type}: {NodeLabels.Spot}");
        production.ShouldNotContain($"{NodeLabels.Type}: on-demand");
    }
}
