using System.Net;
using Doris.Kubernetes.Client.Errors;

namespace Doris.Kubernetes.Client.Tests;

public sealed class KubernetesApiExceptionTests
{
    [Fact]
    public void FromResponse_StatusBody_ClassifiesByReason()
    {
        const string Body = """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on statefulsets.apps \"c-be\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"c-be","group":"apps","kind":"statefulsets"},"code":409}""";

        var e = KubernetesApiException.FromResponse(HttpStatusCode.Conflict, Body, "PUT statefulsets/c-be");

        e.IsConflict.ShouldBeTrue();
        e.Status!.Details!.Name.ShouldBe("c-be");
        e.Message.ShouldStartWith("PUT statefulsets/c-be: Conflict: Operation cannot be fulfilled");
        e.IsRetriable.ShouldBeFalse();
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "NotFound", false)]
    [InlineData(HttpStatusCode.Gone, "Expired", false)]
    [InlineData(HttpStatusCode.TooManyRequests, "TooManyRequests", true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", true)]
    [InlineData(HttpStatusCode.BadGateway, "InternalError", true)]
    public void FromResponse_NonStatusBody_ClassifiesByCode(HttpStatusCode code, string reason, bool retriable)
    {
        var e = KubernetesApiException.FromResponse(code, "<html>proxy error</html>", "GET /api");

        e.Reason.ShouldBe(reason);
        e.IsRetriable.ShouldBe(retriable);
    }

    [Fact]
    public void FromResponse_Gone_IsRecognisedForRelist() =>
        KubernetesApiException.FromResponse(HttpStatusCode.Gone, """{"kind":"Status","reason":"Expired","message":"too old resource version: 5 (100)","code":410}""", "GET").IsGone.ShouldBeTrue();
}
