namespace Doris.Eks.Instances;

/// <summary>The facts about one EC2 instance type that node planning needs.</summary>
public sealed record InstanceType(string Name, int Vcpu, int MemoryMib, int Enis, int Ipv4PerEni, string Architecture, string Hypervisor)
{
    public string Family => Name.Split('.')[0];

    public bool Nitro => Hypervisor == "nitro";

    /// <summary>The generation digit of the family (m5 → 5, r6i → 6); previous generations sort lower.</summary>
    public int Generation => Family.FirstOrDefault(char.IsAsciiDigit) is var c and not '\0' ? c - '0' : 0;

    /// <summary>Secondary-IP mode: one address per ENI is the ENI's own, +2 for host-network pods.</summary>
    public int MaxPods => MaxPodsCalculator.SecondaryIp(Enis, Ipv4PerEni);

    /// <summary>Prefix delegation, uncapped: each secondary slot holds a /28 (16 addresses).</summary>
    public int MaxPodsPrefixDelegation => MaxPodsCalculator.PrefixDelegation(Enis, Ipv4PerEni);

    /// <summary>EKS's recommended kubelet maxPods: the mode's figure capped at 110 (≤ 30 vCPU) or 250.</summary>
    public int RecommendedMaxPods(bool prefixDelegation) =>
        MaxPodsCalculator.Recommended(prefixDelegation ? MaxPodsPrefixDelegation : MaxPods, Vcpu);
}
