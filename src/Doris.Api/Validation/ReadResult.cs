using Doris.Api.V1;

namespace Doris.Api.Validation;

/// <summary>A manifest read and checked: the cluster (when it could be read) and every issue found.</summary>
public sealed record ReadResult(DorisCluster? Cluster, IReadOnlyList<ValidationIssue> Issues)
{
    /// <summary>Where the document (its name, when it has one) is in its file.</summary>
    public Doris.Kubernetes.Serialization.SourceLocation? Location { get; init; }

    public bool HasErrors => Cluster is null || Issues.Any(i => i.Severity == Severity.Error);
}
