namespace Doris.Eks.Artefacts;

/// <summary>The Doris host settings, in each node OS's own mechanism (limits.conf does not reach containers).</summary>
public static class HostTuning
{
    public const int MaxMapCount = 2000000;
    public const int OpenFiles = 1000000;

    /// <summary>AL2023: shell commands run by cloud-init before the node joins.</summary>
    public static IReadOnlyList<string> Al2023Commands { get; } =
    [
        $"echo 'vm.max_map_count = {MaxMapCount}' > /etc/sysctl.d/90-doris.conf && sysctl --system",
        "echo never > /sys/kernel/mm/transparent_hugepage/enabled && echo never > /sys/kernel/mm/transparent_hugepage/defrag",
        "swapoff -a",
    ];

    /// <summary>AL2023: a NodeConfig fragment that raises the containers' open-files limit through containerd's base runtime spec.</summary>
    public static string Al2023OpenFilesNodeConfig { get; } =
        "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  containerd:\n    baseRuntimeSpec:\n      process:\n        rlimits:\n"
        + $"        - type: RLIMIT_NOFILE\n          soft: {OpenFiles}\n          hard: {OpenFiles}\n";
}
