namespace Doris.Kubernetes.Client;

/// <summary>One page of a list, the resourceVersion it is consistent at, and the token for the next page.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue);
