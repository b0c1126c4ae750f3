using Doris.Kubernetes.Serialization;

namespace Doris.Api.Validation;

/// <summary>One problem in a manifest: the field path, what is wrong with which value, and what to do instead.</summary>
public sealed record ValidationIssue(Severity Severity, string Path, string Message)
{
    public SourceLocation? Location { get; init; }

    public static ValidationIssue Error(string path, string message) => new(Severity.Error, path, message);

    public static ValidationIssue Warning(string path, string message) => new(Severity.Warning, path, message);

    public override string ToString() =>
        $"{(Location is null ? string.Empty : Location + ": ")}{(Severity == Severity.Error ? "error" : "warning")}: {Path}: {Message}";
}
