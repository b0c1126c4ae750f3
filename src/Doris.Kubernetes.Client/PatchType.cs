namespace Doris.Kubernetes.Client;

public enum PatchType
{
    /// <summary>RFC 7386: maps merge, lists are replaced, null deletes.</summary>
    Merge,

    /// <summary>RFC 6902: a list of operations.</summary>
    Json,

    /// <summary>Server-side apply: the body is the full intent of one field manager.</summary>
    Apply,
}
