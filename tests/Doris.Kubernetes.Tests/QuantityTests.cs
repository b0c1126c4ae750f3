using Doris.Kubernetes.Models;

namespace Doris.Kubernetes.Tests;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("8", 8)]
    [InlineData("500m", 0.5)]
    [InlineData("16Gi", 17179869184)]
    [InlineData("1k", 1000)]
    [InlineData("1e3", 1000)]
    [InlineData("2E-1", 0.2)]
    [InlineData("+1.5Mi", 1572864)]
    [InlineData("-2", -2)]
    [InlineData(".5", 0.5)]
    public void TryParse_ValidQuantity_GivesValue(string text, double expected)
    {
        Quantity.TryParse(text, out var value).ShouldBeTrue();
        ((double)value).ShouldBe(expected, 1e-9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("16GB")]
    [InlineData("1.2.3")]
    [InlineData("Gi")]
    [InlineData("8 Gi")]
    [InlineData("1e")]
    [InlineData("1e99")]
    public void TryParse_InvalidQuantity_Fails(string text) => Quantity.TryParse(text, out _).ShouldBeFalse();
}
