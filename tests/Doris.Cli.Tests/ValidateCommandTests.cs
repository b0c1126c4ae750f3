using System.Text.Json.Nodes;
using Doris.Testing;

namespace Doris.Cli.Tests;

public sealed class ValidateCommandTests
{
    private static string InvalidDirectory => Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Api.Tests", "Invalid");

    public static TheoryData<string> InvalidFiles() => [.. Directory.GetFiles(InvalidDirectory, "*.yaml").Order(StringComparer.Ordinal)];

    public static TheoryData<string> Examples() => [.. SharedFiles.UpstreamExamples.Concat(SharedFiles.OurExamples)];

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void Validate_InvalidManifest_ExitsOneNamingTheFieldWithoutAStackTrace(string file) => ValidateInvalid(file);

    /// <summary>Validates a corpus file (first line <c># expect: path: text</c>): exit 1, the field and the file named, no stack trace.</summary>
    internal static CliRun ValidateInvalid(string file)
    {
        var expect = File.ReadLines(file).First()["# expect: ".Length..];
        var path = expect[..expect.IndexOf(": ", StringComparison.Ordinal)];

        var run = CliRun.Of("validate", "-f", file);

        run.ExitCode.ShouldBe(ExitCodes.Invalid);
        run.Error.ShouldContain($"error: {path}: ");
        run.Error.ShouldContain(Path.GetFileName(file) + ":");
        run.HasStackTrace.ShouldBeFalse();
        return run;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Validate_Example_ExitsZero(string file)
    {
        var run = CliRun.Of("validate", "-f", file);

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        run.Out.ShouldContain("0 error(s)");
    }

    // What `kubectl get dcr -o yaml` prints (a List), and a top-level sequence of objects: each item is read, with
    // its own line numbers.
    [Theory]
    [InlineData("apiVersion: v1\nkind: List\nitems:\n- apiVersion: doris.selectdb.com/v1\n  kind: DorisCluster\n  metadata: {name: a}\n  spec: {feSpec: {replicas: 1, electionNumber: 1, image: f}, beSpec: {replicas: 1, image: b}}\n- apiVersion: doris.selectdb.com/v1\n  kind: DorisCluster\n  metadata: {name: b}\n  spec:\n    feSpec: {replicas: 1, electionNumber: 1, image: f}\n    beSpec: {replicas: -1, image: b}\n", "-:13:")]
    [InlineData("- apiVersion: doris.selectdb.com/v1\n  kind: DorisCluster\n  metadata: {name: a}\n  spec: {feSpec: {replicas: 1, electionNumber: 1, image: f}, beSpec: {replicas: 1, image: b}}\n- apiVersion: doris.selectdb.com/v1\n  kind: DorisCluster\n  metadata: {name: b}\n  spec:\n    feSpec: {replicas: 1, electionNumber: 1, image: f}\n    beSpec: {replicas: -1, image: b}\n", "-:10:")]
    public void Validate_ListOfClusters_ReadsEveryItemWithItsLines(string yaml, string line)
    {
        var run = CliRun.WithInput(yaml, "validate", "-f", "-");

        run.ExitCode.ShouldBe(ExitCodes.Invalid, run.Error);
        var all = run.Out + run.Error;
        all.ShouldContain("2 DorisCluster(s) checked");
        all.Split('\n').ShouldContain(l => l.StartsWith(line, StringComparison.Ordinal) && l.Contains("error: spec.beSpec.replicas: -1 is below the minimum 0", StringComparison.Ordinal), all);
    }

    [Fact]
    public void Validate_SeveralProblems_AreAllReportedAtOnce()
    {
        var run = CliRun.WithInput("apiVersion: doris.selectdb.com/v1\nkind: DorisCluster\nmetadata: {name: Bad_Name}\nspec:\n  feSpec: {replicas: -2, electionNumber: 2, image: f, limits: {memory: lots}}\n  beSpec: {replicas: 3}\n", "validate", "-f", "-");

        run.ExitCode.ShouldBe(ExitCodes.Invalid);
        foreach (var path in new[] { "metadata.name", "spec.feSpec.replicas", "spec.feSpec.electionNumber", "spec.feSpec.limits.memory", "spec.beSpec.image" })
        {
            run.Error.ShouldContain($"error: {path}: ");
        }
    }

    [Fact]
    public void Validate_JsonOutput_ListsIssuesWithLocations()
    {
        var run = CliRun.Of("validate", "-f", Path.Combine(InvalidDirectory, "05-election-above-replicas.yaml"), "-o", "json");

        run.ExitCode.ShouldBe(ExitCodes.Invalid);
        var issue = JsonNode.Parse(run.Out)!.AsArray().Single(i => (string?)i!["severity"] == "error")!;
        ((string?)issue["path"]).ShouldBe("spec.feSpec.electionNumber");
        ((int?)issue["line"]).ShouldBe(9);
        ((string?)issue["file"]).ShouldEndWith("05-election-above-replicas.yaml");
    }

    [Fact]
    public void Validate_WarningsOnly_ExitsZeroAndShowsThem()
    {
        var run = CliRun.WithInput("apiVersion: doris.selectdb.com/v1\nkind: DorisCluster\nmetadata: {name: w}\nspec:\n  adminUser: {name: ops, password: p}\n  feSpec: {replicas: 1, image: f}\n", "validate", "-f", "-");

        run.ExitCode.ShouldBe(ExitCodes.Success);
        run.Out.ShouldContain("warning: spec.adminUser: deprecated");
    }
}
