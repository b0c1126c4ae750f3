namespace Doris.Kubernetes.Client;

/// <summary>One watch event: ADDED, MODIFIED, DELETED or BOOKMARK, and the object (for a bookmark, only its resourceVersion is meaningful).</summary>
public sealed record WatchEvent<T>(string Type, T Object);
