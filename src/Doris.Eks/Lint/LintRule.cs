using Doris.Eks.Instances;

namespace Doris.Eks.Lint;

/// <summary>One lint rule: a stable id, a title for listings, and the check.</summary>
public sealed record LintRule(string Id, string Title, Func<LintInput, InstanceCatalog, IEnumerable<LintFinding>> Check);
