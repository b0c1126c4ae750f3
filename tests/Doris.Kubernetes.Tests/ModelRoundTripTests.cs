using System.Text.Json;
using Doris.Kubernetes.Serialization;

namespace Doris.Kubernetes.Tests;

public sealed class ModelRoundTripTests
{
    [Fact]
    public void StatefulSet_FieldsTheModelDoesNotKnow_SurviveReadAndWrite()
    {
        const string Json = """{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"s","futureMeta":{"x":1}},"spec":{"replicas":2,"futureSpec":"keep"}}""";

        var sts = JsonSerializer.Deserialize(Json, KubernetesJsonContext.Default.StatefulSet)!;
        var back = JsonSerializer.Serialize(sts, KubernetesJsonContext.Default.StatefulSet);

        back.ShouldContain("\"futureSpec\":\"keep\"");
        back.ShouldContain("\"futureMeta\":{\"x\":1}");
    }

    [Fact]
    public void Pod_QuantitiesAndTimes_KeepTheirKubernetesForm()
    {
        const string Json = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","creationTimestamp":"2024-05-01T10:00:00Z"},"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":8,"memory":"16Gi"}},"ports":[{"containerPort":9030}]}]}}""";

        var back = JsonSerializer.Serialize(JsonSerializer.Deserialize(Json, KubernetesJsonContext.Default.Pod)!, KubernetesJsonContext.Default.Pod);

        back.ShouldContain("\"creationTimestamp\":\"2024-05-01T10:00:00Z\"");
        back.ShouldContain("\"cpu\":\"8\"");
        back.ShouldContain("\"memory\":\"16Gi\"");
    }

    [Fact]
    public void Event_MicroTime_KeepsMicroseconds()
    {
        const string Json = """{"apiVersion":"v1","kind":"Event","metadata":{"name":"e"},"eventTime":"2024-05-01T10:00:00.123456Z"}""";

        var back = JsonSerializer.Serialize(JsonSerializer.Deserialize(Json, KubernetesJsonContext.Default.Event)!, KubernetesJsonContext.Default.Event);

        back.ShouldContain("\"eventTime\":\"2024-05-01T10:00:00.123456Z\"");
    }
}
