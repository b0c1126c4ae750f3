namespace Doris.Eks.Instances;

/// <summary>The VPC CNI pod-density formulas (the same ones eni-max-pods.txt and the EKS max-pods calculator use).</summary>
public static class MaxPodsCalculator
{
    public const int LowCpuCeiling = 110;
    public const int HighCpuCeiling = 250;
    public const int IpsPerPrefix = 16;

    public static int SecondaryIp(int enis, int ipv4PerEni) => enis * (ipv4PerEni - 1) + 2;

    public static int PrefixDelegation(int enis, int ipv4PerEni) => enis * ((ipv4PerEni - 1) * IpsPerPrefix) + 2;

    public static int Ceiling(int vcpu) => vcpu > 30 ? HighCpuCeiling : LowCpuCeiling;

    public static int Recommended(int maxPods, int vcpu) => Math.Min(maxPods, Ceiling(vcpu));

    /// <summary>Kubelet's kube-reserved memory on EKS AMIs and Karpenter: 11 MiB per pod + 255 MiB.</summary>
    public static int KubeReservedMemoryMib(int maxPods) => 11 * maxPods + 255;
}
