namespace Doris.Kubernetes.Client;

/// <summary>One page of a list, the resourceVersion it is consistent at, and the token for the next page.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue)
{
    /// <summary>Items skipped because they do not decode (only when the list was asked to skip them).</summary>
    public IReadOnlyList<UndecodableObject> Undecodable { get; init; } = [];
}
