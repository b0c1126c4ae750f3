using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Http;

namespace Doris.Kubernetes.Emulator.Tests;

public sealed class TableWriterTests
{
    private static readonly JsonNode Cluster = JsonNode.Parse("""{"status":{"feStatus":{"componentCondition":{"phase":"available"}},"conditions":[{"type":"Invalid","status":"False"},{"type":"Ready","status":"True"}]}}""")!;

    [Theory]
    [InlineData(".status.feStatus.componentCondition.phase", "available")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "True")]
    [InlineData(".status.conditions[?(@.type=='Invalid')].status", "False")]
    public void Evaluate_PrinterColumnPaths_FindTheValue(string path, string expected) =>
        TableWriter.Evaluate(Cluster, path)!.GetValue<string>().ShouldBe(expected);

    [Fact]
    public void Evaluate_MissingField_IsNull() => TableWriter.Evaluate(Cluster, ".status.cnStatus.componentCondition.phase").ShouldBeNull();
}
