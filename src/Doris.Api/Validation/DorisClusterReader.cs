using Doris.Api.Crd;
using Doris.Api.Serialization;
using Doris.Kubernetes.Serialization;

namespace Doris.Api.Validation;

/// <summary>
/// Turns a manifest document into a DorisCluster, reporting every problem at once: first what the CRD
/// schema rejects (unknown fields, wrong types, bad quantities), then the rules a schema cannot express.
/// </summary>
public static class DorisClusterReader
{
    public static ReadResult Read(ManifestDocument document)
    {
        var (cluster, issues) = ManifestReading.Read(document, DorisClusterCrd.Kind, DorisClusterCrd.ApiVersion, DorisClusterCrd.Schema, DorisApiJsonContext.Default.DorisCluster, DorisClusterValidator.Validate);
        return Located(document, cluster, issues);
    }

    private static ReadResult Located(ManifestDocument document, V1.DorisCluster? cluster, List<ValidationIssue> issues) =>
        new(cluster, [.. issues.Select(i => i with { Location = document.Locate(i.Path) })]) { Location = document.Locate("metadata.name") };
}
