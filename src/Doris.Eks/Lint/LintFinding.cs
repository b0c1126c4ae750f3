namespace Doris.Eks.Lint;

public enum LintSeverity
{
    Warning,
    Error,
}

/// <summary>One finding: which rule, how bad, where (a path in the input), why it matters and how to fix it.</summary>
public sealed record LintFinding(string RuleId, LintSeverity Severity, string Path, string Reason, string Fix)
{
    public override string ToString() => $"{RuleId} {(Severity == LintSeverity.Error ? "error" : "warning")}: {Path}: {Reason}; fix: {Fix}";
}
