using Doris.Kubernetes.Client.Http;

namespace Doris.Kubernetes.Client.Tests;

public sealed class RequestCounterTests
{
    [Theory]
    [InlineData("https://h/api/v1/namespaces/ns/pods/p/status", "pods")]
    [InlineData("https://h/api/v1/namespaces/ns/pods?watch=true", "pods")]
    [InlineData("https://h/api/v1/nodes", "nodes")]
    [InlineData("https://h/api/v1/namespaces/doris", "namespaces")]
    [InlineData("https://h/apis/apps/v1/namespaces/ns/statefulsets/s", "statefulsets")]
    [InlineData("https://h/apis/doris.selectdb.com/v1/dorisclusters", "dorisclusters")]
    [InlineData("https://h/apis/coordination.k8s.io/v1/namespaces/x/leases/l", "leases")]
    [InlineData("https://h/apis", "discovery")]
    public void ResourceOf_RequestPath_NamesTheResource(string uri, string resource) =>
        RequestCounter.ResourceOf(new Uri(uri)).ShouldBe(resource);

    [Fact]
    public void Record_CountsByVerbResourceAndCode_WritesAreTheMutatingVerbs()
    {
        var counter = new RequestCounter();
        counter.Record("GET", "pods", 200);
        counter.Record("GET", "pods", 200);
        counter.Record("PATCH", "statefulsets", 409);

        counter.Snapshot()[("GET", "pods", 200)].ShouldBe(2);
        counter.Total.ShouldBe(3);
        counter.Writes.ShouldBe(1);
    }
}
