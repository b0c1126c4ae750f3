namespace Doris.Kubernetes.Serialization;

/// <summary>
/// How much one input may make the reader do. The defaults sit far above any real manifest and far below what would
/// hurt the machine; a user with an unusual input raises them by flag (<c>--max-depth</c> and the like).
/// </summary>
/// <param name="MaxDepth">Nesting levels (System.Text.Json's own default, so anything read can be written back).</param>
/// <param name="MaxValues">Values once aliases are expanded: stops an alias bomb; a production DorisCluster has a few hundred.</param>
/// <param name="MaxDocuments">Documents in one input.</param>
/// <param name="MaxInputChars">Characters in one input (the API server takes 3 MiB per object).</param>
public sealed record ReadLimits(int MaxDepth = 64, int MaxValues = 250_000, int MaxDocuments = 10_000, int MaxInputChars = 16 * 1024 * 1024)
{
    public static ReadLimits Default { get; } = new();

    private static readonly AsyncLocal<ReadLimits?> Ambient = new();

    /// <summary>
    /// The limits of the current command: set once by the CLI from its flags, flowing with the async context so
    /// concurrent in-process runs (tests) never see each other's.
    /// </summary>
    public static ReadLimits Current
    {
        get => Ambient.Value ?? Default;
        set => Ambient.Value = value;
    }
}
