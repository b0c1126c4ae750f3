using System.Text.RegularExpressions;
using Doris.Api.Disaggregated;
using Doris.Api.Naming;

namespace Doris.Api.Validation.Disaggregated;

/// <summary>
/// The rules a schema cannot express for a DorisDisaggregatedCluster, each naming the field, the value and the fix:
/// upstream's (compute-group ids, FE replicas against electionNumber, no "admin" management user, an FDB address)
/// and what Kubernetes would refuse later (names derived from the cluster and each compute group).
/// </summary>
public static partial class DisaggregatedClusterValidator
{
    /// <summary>StatefulSet names stay short enough for the controller-revision-hash label (name + 11 characters).</summary>
    public const int MaxStatefulSetNameLength = 52;

    public static IReadOnlyList<ValidationIssue> Validate(DorisDisaggregatedCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var issues = new List<ValidationIssue>();
        var name = cluster.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            issues.Add(ValidationIssue.Error("metadata.name", "missing; name the cluster, e.g. 'doris'"));
        }
        else if (!KubernetesNames.IsDns1035Label(name))
        {
            issues.Add(ValidationIssue.Error("metadata.name", $"'{name}' is not a valid name: the Services named after it must be lowercase letters, digits and '-', starting with a letter"));
        }

        if (cluster.Metadata?.Namespace is { } ns && !KubernetesNames.IsDns1123Label(ns))
        {
            issues.Add(ValidationIssue.Error("metadata.namespace", $"'{ns}' is not a valid namespace; use lowercase letters, digits and '-'"));
        }

        if (cluster.Spec is not { } spec)
        {
            issues.Add(ValidationIssue.Error("spec", "missing; add a spec with metaService, feSpec and computeGroups"));
            return issues;
        }

        if (spec.AdminUser is { Name: { } user } && string.Equals(user, "admin", StringComparison.OrdinalIgnoreCase))
        {
            issues.Add(ValidationIssue.Error("spec.adminUser.name", "'admin' cannot manage the cluster's nodes; use root or a user with NODE_PRIV (better: put it in a Secret named by authSecret)"));
        }

        if (spec.AdminUser is { Password: { Length: > 0 } })
        {
            issues.Add(ValidationIssue.Warning("spec.adminUser.password", "an inline password is readable by anyone who can read this object; put the user in a Secret (keys username, password) and name it in spec.authSecret"));
        }

        if (spec.AuthSecret is { Length: > 0 } secret && !KubernetesNames.IsDns1123Subdomain(secret))
        {
            issues.Add(ValidationIssue.Error("spec.authSecret", $"'{secret}' is not a Secret name{PlaceholderHint(secret)}; use lowercase letters, digits, '-' and '.'"));
        }

        MetaService(spec.MetaService, cluster.Metadata?.Namespace, issues);
        Frontend(spec.FeSpec, issues);
        ComputeGroups(name, spec.ComputeGroups ?? [], issues);
        return issues;
    }

    private static void MetaService(MetaServiceSpec? ms, string? clusterNamespace, List<ValidationIssue> issues)
    {
        if (ms is null)
        {
            issues.Add(ValidationIssue.Error("spec.metaService", "missing; add metaService with its image (e.g. apache/doris:ms-3.0.3) and fdb (where FoundationDB is)"));
            return;
        }

        DisaggregatedComponentRules.Check(ms, "spec.metaService", "meta service", spotAllowed: false, issues);
        var fdb = ms.Fdb;
        var map = fdb?.ConfigMapNamespaceName;
        var hasAddress = !string.IsNullOrWhiteSpace(fdb?.Address);
        var hasMap = !string.IsNullOrWhiteSpace(map?.Name);
        if (!hasAddress && !hasMap)
        {
            issues.Add(ValidationIssue.Error("spec.metaService.fdb", "no FoundationDB given; set fdb.configMapNamespaceName (name and namespace of the ConfigMap with key cluster-file, as the FoundationDB operator writes it) or fdb.address (the contents of fdb.cluster)"));
            return;
        }

        if (hasAddress && !FdbClusterString().IsMatch(fdb!.Address!))
        {
            issues.Add(ValidationIssue.Error("spec.metaService.fdb.address", $"'{fdb.Address}' is not a FoundationDB cluster string{PlaceholderHint(fdb.Address!)}; copy the line from fdb.cluster, e.g. doris_fdb:Xa3k9@10.0.1.5:4500,10.0.1.6:4500"));
        }

        if (hasMap)
        {
            if (!KubernetesNames.IsDns1123Subdomain(map!.Name))
            {
                issues.Add(ValidationIssue.Error("spec.metaService.fdb.configMapNamespaceName.name", $"'{map.Name}' is not a ConfigMap name{PlaceholderHint(map.Name!)}; use lowercase letters, digits, '-' and '.'"));
            }

            if (string.IsNullOrEmpty(map.Namespace))
            {
                issues.Add(ValidationIssue.Warning("spec.metaService.fdb.configMapNamespaceName.namespace", $"missing; the cluster's own namespace{(clusterNamespace is null ? string.Empty : $" ({clusterNamespace})")} is used (apache/doris-operator requires it: set it for manifests both operators read)"));
            }
            else if (!KubernetesNames.IsDns1123Label(map.Namespace))
            {
                issues.Add(ValidationIssue.Error("spec.metaService.fdb.configMapNamespaceName.namespace", $"'{map.Namespace}' is not a namespace{PlaceholderHint(map.Namespace)}; use lowercase letters, digits and '-'"));
            }
        }

        if (hasAddress && hasMap)
        {
            issues.Add(ValidationIssue.Warning("spec.metaService.fdb", "both address and configMapNamespaceName are set; address is used (as apache/doris-operator does), the ConfigMap is not read. Keep one"));
        }
    }

    private static void Frontend(DisaggregatedFeSpec? fe, List<ValidationIssue> issues)
    {
        if (fe is null)
        {
            issues.Add(ValidationIssue.Error("spec.feSpec", "missing; add feSpec with its image (e.g. apache/doris:fe-3.0.3) and replicas"));
            return;
        }

        DisaggregatedComponentRules.Check(fe, "spec.feSpec", "FE", spotAllowed: false, issues);
        var election = fe.ElectionNumber ?? DisaggregatedDefaults.ElectionNumber;
        if (fe.ElectionNumber is { } n && n % 2 == 0)
        {
            issues.Add(ValidationIssue.Error("spec.feSpec.electionNumber", $"{n} is even: a quorum of {n / 2 + 1} out of {n} tolerates no more failures than {n - 1}; use an odd number ({n - 1} or {n + 1})"));
        }

        if (fe.Replicas is { } replicas && replicas < election)
        {
            issues.Add(ValidationIssue.Error("spec.feSpec.replicas", $"{replicas} is fewer than electionNumber {election}: the followers could never all start; set replicas to at least {election}"));
        }
    }

    private static void ComputeGroups(string? cluster, IReadOnlyList<ComputeGroup> groups, List<ValidationIssue> issues)
    {
        if (groups.Count == 0)
        {
            issues.Add(ValidationIssue.Warning("spec.computeGroups", "none; queries need at least one compute group to run on. Add one with uniqueId, image and replicas"));
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            var path = $"spec.computeGroups[{i}]";
            DisaggregatedComponentRules.Check(group, path, "compute group", spotAllowed: true, issues);
            if (string.IsNullOrEmpty(group.UniqueId))
            {
                issues.Add(ValidationIssue.Error(path + ".uniqueId", "missing; name the compute group, e.g. uniqueId: cg1 (letters, digits and single '_', starting with a letter)"));
                continue;
            }

            if (!UniqueId().IsMatch(group.UniqueId))
            {
                issues.Add(ValidationIssue.Error(path + ".uniqueId", $"'{group.UniqueId}' is not a compute group name Doris accepts; start with a letter, then letters, digits and single '_' (no '-', no '__', no trailing '_'), e.g. '{Suggest(group.UniqueId)}'"));
                continue;
            }

            if (seen.TryGetValue(group.UniqueId, out var first))
            {
                issues.Add(ValidationIssue.Error(path + ".uniqueId", $"'{group.UniqueId}' is also spec.computeGroups[{first}]'s; each compute group needs its own uniqueId"));
                continue;
            }

            seen[group.UniqueId] = i;
            if (cluster is not null)
            {
                var set = DisaggregatedNames.ComputeGroupStatefulSet(cluster, group.UniqueId);
                if (set.Any(char.IsAsciiLetterUpper))
                {
                    issues.Add(ValidationIssue.Error(path + ".uniqueId", $"'{group.UniqueId}' would name the StatefulSet '{set}', and Kubernetes names are lowercase; use '{group.UniqueId.ToLowerInvariant()}'"));
                }
                else if (set.Length > MaxStatefulSetNameLength)
                {
                    issues.Add(ValidationIssue.Error(path + ".uniqueId", $"'{group.UniqueId}' makes the StatefulSet name '{set}' {set.Length} characters; with the cluster name it may have at most {MaxStatefulSetNameLength} (pods and revisions add to it). Shorten the uniqueId or the cluster name"));
                }
            }
        }
    }

    internal static string PlaceholderHint(string value) =>
        value.Contains("${", StringComparison.Ordinal) || value.StartsWith('{') ? ", but a placeholder left from an example: replace it with the real value" : string.Empty;

    private static string Suggest(string id)
    {
        var s = new string([.. id.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
        s = MultipleUnderscores().Replace(s, "_").Trim('_');
        return s.Length > 0 && char.IsAsciiLetter(s[0]) ? s.ToLowerInvariant() : "cg_" + s.ToLowerInvariant();
    }

    // upstream checks [a-zA-Z](_?[0-9a-zA-Z])* unanchored, so "cg-1" passes there and fails later; anchored here
    [GeneratedRegex("^[a-zA-Z](_?[0-9a-zA-Z])*$")]
    private static partial Regex UniqueId();

    [GeneratedRegex("_{2,}")]
    private static partial Regex MultipleUnderscores();

    // description:id@host:port[,host:port...] (fdb.cluster); addresses may carry :tls
    [GeneratedRegex(@"^[A-Za-z0-9_]+:[A-Za-z0-9]+@[^,@\s]+:\d+(:tls)?(,[^,@\s]+:\d+(:tls)?)*$")]
    private static partial Regex FdbClusterString();
}
