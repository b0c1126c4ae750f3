using Doris.Eks.Instances;

namespace Doris.Eks.Tests;

public sealed class SpotChooserTests
{
    [Theory]
    [InlineData("8c64g", "amd64")]
    [InlineData("16c64g", "amd64")]
    [InlineData("4c8g", "amd64")]
    [InlineData("8c64g", "arm64")]
    public void Choose_ExactSpec_SameShapeArchitectureAndPodsAcrossFamilies(string text, string arch)
    {
        ShapeSpec.TryParse(text, out var spec).ShouldBeTrue();

        var types = SpotChooser.Choose(InstanceCatalog.Default, spec!, arch, prefixDelegation: false, wanted: 4);

        types.Count.ShouldBe(4);
        types.ShouldAllBe(t => t.Vcpu == spec!.Vcpu && t.MemoryMib == spec.MemoryMib && t.Architecture == arch);
        types.Select(t => t.MaxPods).Distinct().Count().ShouldBe(1);
        types.Select(t => t.Family).Distinct().Count().ShouldBe(4, "each type comes from another family first");
    }

    [Fact]
    public void Choose_SizeClass_TakesTheSmallestShapeAtOrAboveTheClass()
    {
        ShapeSpec.TryParse("medium", out var spec).ShouldBeTrue();

        var types = SpotChooser.Choose(InstanceCatalog.Default, spec!, "amd64", false, 4);

        types.ShouldAllBe(t => t.Vcpu == 4 && t.MemoryMib == 8192);
    }

    [Fact]
    public void Choose_PrefixDelegation_OnlyNitro()
    {
        ShapeSpec.TryParse("2c8g", out var spec).ShouldBeTrue();

        var withPd = SpotChooser.Choose(InstanceCatalog.Default, spec!, "amd64", true, 20);

        withPd.ShouldNotContain(t => t.Name == "m4.large");
        withPd.ShouldAllBe(t => t.Nitro);
    }

    [Fact]
    public void Choose_ShapeThatDoesNotExist_ReturnsNothing()
    {
        ShapeSpec.TryParse("7c3g", out var spec).ShouldBeTrue();

        SpotChooser.Choose(InstanceCatalog.Default, spec!, "amd64", false, 4).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("8c64g", 8, 64, true)]
    [InlineData("small", 2, 4, false)]
    [InlineData("large", 8, 16, false)]
    public void ShapeSpec_Parses(string text, int vcpu, int gib, bool exact)
    {
        ShapeSpec.TryParse(text, out var spec).ShouldBeTrue();
        spec.ShouldBe(new ShapeSpec(text, vcpu, gib, exact));
    }

    [Theory]
    [InlineData("8C64G")]
    [InlineData("huge")]
    [InlineData("0c8g")]
    [InlineData("8c")]
    public void ShapeSpec_Rejects(string text) => ShapeSpec.TryParse(text, out _).ShouldBeFalse();
}
