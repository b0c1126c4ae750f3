using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Kubernetes.Client.Tests;

public sealed class UndecodableObjectTests
{
    [Theory]
    [InlineData("""{"kind":"ConfigMap","metadata":{"name":"a","namespace":"ns","resourceVersion":"7"},"data":{"k":3}}""", "data.k", "the value 3 is not a string")]
    [InlineData("""{"kind":"Pod","metadata":{"name":"a","namespace":"ns"},"spec":{"hostNetwork":"yes"}}""", "spec.hostNetwork", "the value \"yes\" is not true or false")]
    [InlineData("""{"kind":"Pod","metadata":{"name":"a","namespace":"ns"},"spec":{"terminationGracePeriodSeconds":"ten"}}""", "spec.terminationGracePeriodSeconds", "the value \"ten\" is not a number")]
    public void From_ADecodeFailure_NamesTheObjectTheFieldAndWhatWasExpected(string json, string field, string message)
    {
        var raw = JsonNode.Parse(json)!;
        var error = Should.Throw<JsonException>(() => raw.Kind() == "Pod" ? raw.Deserialize(KubernetesJsonContext.Default.Pod) as object : raw.Deserialize(KubernetesJsonContext.Default.ConfigMap));

        var bad = UndecodableObject.From(raw, "things", error);

        (bad.Namespace, bad.Name, bad.Field, bad.Message).ShouldBe(("ns", "a", field, message), error.Message);
    }
}

internal static class RawExtensions
{
    public static string? Kind(this JsonNode node) => (string?)node["kind"];
}
