using System.Text.Json.Nodes;
using Doris.Kubernetes.Schema;

namespace Doris.Kubernetes.Tests;

public sealed class SchemaValidatorTests
{
    private static readonly JsonNode Schema = JsonNode.Parse("""
        {"type":"object","required":["image"],"properties":{
          "image":{"type":"string"},
          "replicas":{"type":"integer","format":"int32","minimum":0},
          "mode":{"type":"string","enum":["a","b"]},
          "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
          "labels":{"type":"object","additionalProperties":{"type":"string"}},
          "free":{"x-kubernetes-preserve-unknown-fields":true,"type":"object"},
          "items":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}}}}
        """)!;

    private static IReadOnlyList<SchemaViolation> Check(string json) => new SchemaValidator().Validate(JsonNode.Parse(json), Schema);

    [Fact]
    public void Validate_ValidDocument_HasNoViolations() =>
        Check("""{"image":"x","replicas":3,"mode":"a","port":"http","labels":{"k":"v"},"free":{"any":[1]},"items":[{"name":"n"}]}""").ShouldBeEmpty();

    [Fact]
    public void Validate_UnknownField_SuggestsTheClosestKnownName()
    {
        var v = Check("""{"image":"x","replica":3}""").ShouldHaveSingleItem();

        v.Path.ShouldBe("replica");
        v.Message.ShouldContain("did you mean 'replicas'?");
    }

    [Fact]
    public void Validate_UnknownFieldInListItem_NamesTheIndex() =>
        Check("""{"image":"x","items":[{"name":"a"},{"nmae":"b"}]}""").ShouldHaveSingleItem().Path.ShouldBe("items[1].nmae");

    [Theory]
    [InlineData("""{"image":"x","replicas":"three"}""", "replicas", "expected an integer")]
    [InlineData("""{"image":"x","replicas":1.5}""", "replicas", "expected an integer")]
    [InlineData("""{"image":"x","replicas":-1}""", "replicas", "below the minimum 0")]
    [InlineData("""{"image":"x","replicas":4294967296}""", "replicas", "32-bit")]
    [InlineData("""{"image":"x","mode":"c"}""", "mode", "not one of 'a', 'b'")]
    [InlineData("""{"image":"x","port":true}""", "port", "integer or a string")]
    [InlineData("""{"image":"x","labels":{"k":1}}""", "labels.k", "expected a string")]
    [InlineData("""{"image":"x","items":{"name":"a"}}""", "items", "expected a list")]
    [InlineData("""{"replicas":1}""", "image", "required field is missing")]
    public void Validate_WrongValue_NamesPathAndProblem(string json, string path, string message)
    {
        var v = Check(json).ShouldHaveSingleItem();

        v.Path.ShouldBe(path);
        v.Message.ShouldContain(message);
    }

    [Fact]
    public void Validate_NullField_CountsAsAbsent() => Check("""{"image":"x","replicas":null}""").ShouldBeEmpty();

    [Fact]
    public void Validate_ReferenceSchema_ResolvesThroughTheCallback()
    {
        var definitions = JsonNode.Parse("""{"T":{"type":"object","properties":{"a":{"type":"boolean"}}}}""")!;
        var validator = new SchemaValidator(r => definitions[r.Split('/')[^1]]);

        var v = validator.Validate(JsonNode.Parse("""{"a":"no"}"""), JsonNode.Parse("""{"$ref":"#/definitions/T"}""")!);

        v.ShouldHaveSingleItem().Message.ShouldContain("expected true or false");
    }
}
