using System.Text.Json.Nodes;
using Doris.Kubernetes.Serialization;

namespace Doris.Kubernetes.Tests;

public sealed class YamlWriterTests
{
    [Theory]
    [InlineData("8")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("yes")]
    [InlineData("off")]
    [InlineData("0755")]
    [InlineData("1.5")]
    [InlineData("12:30")]
    [InlineData("2024-01-01")]
    [InlineData("- item")]
    [InlineData("key: value")]
    [InlineData("# not a comment")]
    [InlineData("$(ENV_FE_ADDR)")]
    [InlineData("host=$(hostname -f); (getent hosts \"$host\" || nslookup \"$host\")")]
    [InlineData("line one\nline two\n")]
    [InlineData(" leading space")]
    [InlineData("tab\there")]
    [InlineData("*alias")]
    [InlineData("!tag")]
    [InlineData("@at")]
    [InlineData("05e3")]
    [InlineData("05837816576613e0")]
    [InlineData("1_000")]
    [InlineData(".inf")]
    [InlineData("-.Inf")]
    [InlineData(".NaN")]
    [InlineData("0o17")]
    [InlineData("0b101")]
    [InlineData("0x1F")]
    [InlineData("=")]
    [InlineData("<<")]
    [InlineData("On")]
    [InlineData("1:20")]
    public void Write_AnyString_ReadsBackAsTheSameString(string value)
    {
        var yaml = YamlWriter.Write(new JsonObject { ["v"] = value });

        var back = YamlReader.Read(yaml, "t.yaml")[0].Root!["v"]!;
        back.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.String, yaml);
        back.GetValue<string>().ShouldBe(value);
    }

    [Fact]
    public void Write_NumberLookalike_IsQuotedSoOtherToolsKeepItAString() =>
        YamlWriter.Write(new JsonObject { ["v"] = "120" }).ShouldContain("v: \"120\"");

    [Fact]
    public void WriteAll_SeveralDocuments_SeparatesWithDashes()
    {
        var yaml = YamlWriter.WriteAll([new JsonObject { ["a"] = 1 }, new JsonObject { ["b"] = true }]);

        yaml.ShouldBe("---\na: 1\n---\nb: true\n");
    }

    [Fact]
    public void Write_NestedListsAndEmptyMaps_RoundTrip()
    {
        var node = JsonNode.Parse("""{"a":{"b":[{"c":[]},{}],"d":{}},"e":[1,"x",null]}""");

        var back = YamlReader.Read(YamlWriter.Write(node), "t.yaml")[0].Root;

        back!.ToJsonString().ShouldBe(node!.ToJsonString());
    }
}
