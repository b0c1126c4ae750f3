using Doris.Eks.Instances;
using Doris.Eks.Planning;

namespace Doris.Eks.Tests;

public sealed class MaxPodsTests
{
    [Theory]
    [InlineData("m5.large", 29, 434, 29, 110)]
    [InlineData("m5.4xlarge", 234, 3714, 110, 110)]
    [InlineData("r5.2xlarge", 58, 898, 58, 110)]
    [InlineData("m5.16xlarge", 737, 11762, 250, 250)]
    public void MaxPods_MatchTheVpcCniFormulasAndEksCaps(string type, int secondary, int prefix, int recommended, int recommendedPrefix)
    {
        var t = InstanceCatalog.Default.Find(type)!;

        t.MaxPods.ShouldBe(secondary);
        t.MaxPodsPrefixDelegation.ShouldBe(prefix);
        t.RecommendedMaxPods(false).ShouldBe(recommended);
        t.RecommendedMaxPods(true).ShouldBe(recommendedPrefix);
    }

    [Theory]
    [InlineData(29, 574)]
    [InlineData(58, 893)]
    [InlineData(110, 1465)]
    [InlineData(234, 2829)]
    public void KubeReservedMemory_ElevenMibPerPodPlus255(int pods, int mib) => MaxPodsCalculator.KubeReservedMemoryMib(pods).ShouldBe(mib);

    [Theory]
    [InlineData("m5.4xlarge", 234, false, 240)]
    [InlineData("r5.2xlarge", 58, false, 60)]
    [InlineData("m5.4xlarge", 110, true, 129)]
    [InlineData("m5.large", 110, true, 129)]
    public void IpsPerNode_WorstCaseAtMaxPods(string type, int maxPods, bool prefix, int ips) =>
        IpPlanner.IpsPerNode(InstanceCatalog.Default.Find(type)!, maxPods, prefix).ShouldBe(ips);
}
