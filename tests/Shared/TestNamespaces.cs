namespace Doris.Testing;

/// <summary>
/// The namespaces the emulator-backed tests work in, created when their emulator starts, as in a cluster where an
/// administrator made them (the emulator refuses anything in a namespace that does not exist, as a real server does).
/// </summary>
internal static class TestNamespaces
{
    public static IReadOnlyList<string> All { get; } = ["default", "kube-system", "kube-public", "kube-node-lease", "doris", "doris-system", "ns", "many"];
}
