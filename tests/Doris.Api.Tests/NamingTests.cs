using Doris.Api.Naming;

namespace Doris.Api.Tests;

public sealed class NamingTests
{
    [Theory]
    [InlineData("doris-prod-be-0", 0)]
    [InlineData("doris-prod-cn-12", 12)]
    [InlineData("doris-prod-cn-", -1)]
    [InlineData("doris", -1)]
    [InlineData("doris-prod-be-+1", -1)]
    public void Ordinal_PodName_IsTheNumberAfterTheLastDash(string pod, int ordinal) =>
        DorisNames.Ordinal(pod).ShouldBe(ordinal);

    [Fact]
    public void Ordinal_OfAGeneratedPodName_RoundTrips() =>
        DorisNames.Ordinal(DorisNames.Pod("c", DorisComponent.Cn, 7)).ShouldBe(7);
}
