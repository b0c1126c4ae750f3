namespace Doris.Kubernetes.Emulator;

/// <summary>How the emulator listens and what it demands of clients.</summary>
public sealed record EmulatorOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Serve HTTPS with a certificate generated at start (its CA goes into the written kubeconfig).</summary>
    public bool Tls { get; init; } = true;

    /// <summary>The token every request must carry as <c>Authorization: Bearer</c> (else 401); one is generated when not set.</summary>
    public string? BearerToken { get; init; }

    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(10);

    public int CompactionWindow { get; init; } = 10_000;

    /// <summary>
    /// The namespaces the cluster starts with. As on a real server, nothing can be created in a namespace that does
    /// not exist; a test or a sandbox that stands for a cluster where others exist names them here.
    /// </summary>
    public IReadOnlyList<string> InitialNamespaces { get; init; } = SystemNamespaces;

    /// <summary>Every cluster's namespaces.</summary>
    public static IReadOnlyList<string> SystemNamespaces { get; } = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>Events a watcher may leave unread before its watch is closed (it re-lists, as with kube-apiserver).</summary>
    public int WatchBuffer { get; init; } = 1000;
}
