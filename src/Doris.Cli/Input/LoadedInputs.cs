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

    public IEnumerable<ValidationIssue> AllIssues => Clusters.SelectMany(c => c.Issues).Concat(OtherIssues);

    public bool HasErrors => Clusters.Any(c => c.HasErrors) || OtherIssues.Any(i => i.Severity == Severity.Error);
}
