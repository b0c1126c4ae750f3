namespace Doris.Kubernetes.Emulator;

/// <summary>How the emulator listens and what it demands of clients.</summary>
public sealed record EmulatorOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Serve HTTPS with a certificate generated at start (its CA goes into the written kubeconfig).</summary>
    public bool Tls { get; init; } = true;

    /// <summary>When set, every request must carry <c>Authorization: Bearer</c> with this token, else 401.</summary>
    public string? BearerToken { get; init; }

    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(10);

    public int CompactionWindow { get; init; } = 10_000;
}
