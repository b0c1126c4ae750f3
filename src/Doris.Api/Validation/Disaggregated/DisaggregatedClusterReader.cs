using Doris.Api.Crd;
using Doris.Api.Disaggregated;
using Doris.Api.Serialization;
using Doris.Kubernetes.Serialization;

namespace Doris.Api.Validation.Disaggregated;

/// <summary>A DorisDisaggregatedCluster read and checked: the cluster (when it could be read) and every issue found.</summary>
public sealed record DisaggregatedReadResult(DorisDisaggregatedCluster? Cluster, IReadOnlyList<ValidationIssue> Issues)
{
    public SourceLocation? Location { get; init; }

    public bool HasErrors => Cluster is null || Issues.Any(i => i.Severity == Severity.Error);
}

/// <summary>Turns a manifest document into a DorisDisaggregatedCluster, reporting every problem at once.</summary>
public static class DisaggregatedClusterReader
{
    public static DisaggregatedReadResult Read(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var (cluster, issues) = ManifestReading.Read(document, DorisDisaggregatedClusterCrd.Kind, DorisDisaggregatedClusterCrd.ApiVersion, DorisDisaggregatedClusterCrd.Schema,
            DorisApiJsonContext.Default.DorisDisaggregatedCluster, DisaggregatedClusterValidator.Validate);
        return new DisaggregatedReadResult(cluster, [.. issues.Select(i => i with { Location = document.Locate(i.Path) })]) { Location = document.Locate("metadata.name") };
    }
}
