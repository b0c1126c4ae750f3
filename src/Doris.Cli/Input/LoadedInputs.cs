using Doris.Api.Validation;
using Doris.Kubernetes.Models;

namespace Doris.Cli.Input;

/// <summary>
/// Every document of the input files: the DorisClusters as read and checked, the ConfigMaps by name, the Secrets
/// (applied by the sandbox; never printed), and problems with other documents.
/// </summary>
internal sealed record LoadedInputs(
    IReadOnlyList<ReadResult> Clusters,
    IReadOnlyDictionary<string, ConfigMap> ConfigMaps,
    IReadOnlyList<ValidationIssue> OtherIssues)
{
    public IReadOnlyList<Secret> Secrets { get; init; } = [];

    /// <summary>StatefulSets in the input (as <c>kubectl get sts -o yaml</c> prints them), for <c>dorisctl adopt</c>.</summary>
    public IReadOnlyList<System.Text.Json.Nodes.JsonObject> StatefulSets { get; init; } = [];

    /// <summary>Services in the input (live objects), for <c>dorisctl sandbox --handover</c>.</summary>
    public IReadOnlyList<System.Text.Json.Nodes.JsonObject> Services { get; init; } = [];

    /// <summary>DorisDisaggregatedClusters read (only when the command asked for them).</summary>
    public IReadOnlyList<Doris.Api.Validation.Disaggregated.DisaggregatedReadResult> DisaggregatedClusters { get; init; } = [];

    public IEnumerable<ValidationIssue> AllIssues => Clusters.SelectMany(c => c.Issues).Concat(DisaggregatedClusters.SelectMany(c => c.Issues)).Concat(OtherIssues);

    public bool HasErrors => Clusters.Any(c => c.HasErrors) || DisaggregatedClusters.Any(c => c.HasErrors) || OtherIssues.Any(i => i.Severity == Severity.Error);
}
