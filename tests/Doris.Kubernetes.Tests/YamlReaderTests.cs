using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Serialization;

namespace Doris.Kubernetes.Tests;

public sealed class YamlReaderTests
{
    [Theory]
    [InlineData("v: 8", JsonValueKind.Number, "8")]
    [InlineData("v: -3", JsonValueKind.Number, "-3")]
    [InlineData("v: 1.5", JsonValueKind.Number, "1.5")]
    [InlineData("v: 1e3", JsonValueKind.Number, "1e3")]
    [InlineData("v: true", JsonValueKind.True, "true")]
    [InlineData("v: False", JsonValueKind.False, "false")]
    [InlineData("v: \"8\"", JsonValueKind.String, "\"8\"")]
    [InlineData("v: 'true'", JsonValueKind.String, "\"true\"")]
    [InlineData("v: 16Gi", JsonValueKind.String, "\"16Gi\"")]
    [InlineData("v: yes", JsonValueKind.String, "\"yes\"")]
    [InlineData("v: 0x1F", JsonValueKind.Number, "31")]
    [InlineData("v: .5", JsonValueKind.Number, "0.5")]
    [InlineData("v: !!str 12", JsonValueKind.String, "\"12\"")]
    public void Read_PlainAndQuotedScalars_ResolveByYamlCoreSchema(string yaml, JsonValueKind kind, string json)
    {
        var value = YamlReader.Read(yaml, "t.yaml")[0].Root!["v"]!;

        value.GetValueKind().ShouldBe(kind);
        value.ToJsonString().ShouldBe(json);
    }

    // 0123 is 83 to kubectl and PyYAML (YAML 1.1 octal) and 123 to YAML 1.2; 05e3 is no JSON number at all.
    [Theory]
    [InlineData("v: 0123")]
    [InlineData("v: -007")]
    [InlineData("v: 05e3")]
    [InlineData("v: 05837816576613e0")]
    [InlineData("v: 00.5")]
    public void Read_NumeralWithLeadingZero_StaysTheStringWritten(string yaml)
    {
        var value = YamlReader.Read(yaml, "t.yaml")[0].Root!["v"]!;

        value.GetValueKind().ShouldBe(JsonValueKind.String);
        value.GetValue<string>().ShouldBe(yaml[3..]);
    }

    [Theory]
    [InlineData("v: ~")]
    [InlineData("v: null")]
    [InlineData("v:")]
    public void Read_NullForms_BecomeJsonNull(string yaml) =>
        ((JsonObject)YamlReader.Read(yaml, "t.yaml")[0].Root!)["v"].ShouldBeNull();

    [Fact]
    public void Read_MultipleDocuments_SkipsEmptyOnes()
    {
        var docs = YamlReader.Read("---\na: 1\n---\n---\nb: 2\n", "t.yaml");

        docs.Count.ShouldBe(2);
        docs[1].Root!["b"]!.GetValue<long>().ShouldBe(2);
    }

    [Fact]
    public void Read_DuplicateKey_NamesKeyPathAndLine()
    {
        var e = Should.Throw<ManifestException>(() => YamlReader.Read("spec:\n  a: 1\n  a: 2\n", "c.yaml"));

        e.Message.ShouldContain("c.yaml:3:3");
        e.Message.ShouldContain("duplicate key 'a'");
    }

    [Fact]
    public void Read_BrokenSyntax_NamesFileAndLine()
    {
        var e = Should.Throw<ManifestException>(() => YamlReader.Read("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml"));

        e.Message.ShouldStartWith("bad.yaml:");
        e.Message.ShouldContain("not valid YAML");
    }

    [Fact]
    public void Read_Locations_PointAtEachField()
    {
        var doc = YamlReader.Read("spec:\n  feSpec:\n    replicas: 3\n    envVars:\n    - name: A\n", "c.yaml")[0];

        doc.Locate("spec.feSpec.replicas").ShouldBe(new SourceLocation("c.yaml", 3, 15));
        doc.Locate("spec.feSpec.envVars[0].name").Line.ShouldBe(5);
        doc.Locate("spec.feSpec.unknown.deeper").Line.ShouldBe(3, "a missing path falls back to its nearest parent");
    }

    // Hostile input (issue 14): each of these ended every command with a stack overflow or gigabytes of memory.
    [Fact]
    public void Read_AliasThatContainsItself_IsAOneLineErrorNotAStackOverflow()
    {
        var e = Should.Throw<ManifestException>(() => YamlReader.Read("a: &m\n  b: *m\n", "loop.yaml"));

        e.Message.ShouldBe("loop.yaml:1:4: a.b: an alias refers to a node that contains it, so the document would be infinite; replace the alias with the values it should have");
    }

    [Fact]
    public void Read_AliasBomb_StopsAtTheValueBudget()
    {
        var lines = new List<string> { "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]" };
        var previous = "a";
        foreach (var name in "bcdefghi")
        {
            lines.Add($"{name}: &{name} [{string.Join(",", Enumerable.Repeat("*" + previous, 9))}]");
            previous = name.ToString();
        }

        var e = Should.Throw<ManifestException>(() => YamlReader.Read(string.Join("\n", lines), "bomb.yaml"));

        e.Message.ShouldContain($"more than {YamlReader.MaxNodes:N0} values once aliases are expanded");
    }

    [Fact]
    public void Read_NestedDeeperThanJsonCanWrite_IsRefusedNamingThePlace()
    {
        var e = Should.Throw<ManifestException>(() => YamlReader.Read("a: " + new string('[', 65) + new string(']', 65), "deep.yaml"));

        e.Message.ShouldContain($"nested more than {YamlReader.MaxDepth} levels deep");
        YamlReader.Read("a: " + new string('[', 63) + new string(']', 63), "ok.yaml").ShouldHaveSingleItem();
    }

    [Fact]
    public void Read_SharedAliasUsedTwice_IsExpandedNormally()
    {
        var doc = YamlReader.Read("base: &b {cpu: \"2\"}\nfe: *b\nbe: *b\n", "ok.yaml").Single();

        ((string?)doc.Root!["be"]!["cpu"]).ShouldBe("2");
        ((string?)doc.Root!["fe"]!["cpu"]).ShouldBe("2");
    }
}
