namespace Doris.Eks.Blueprints;

/// <summary>A problem in a blueprint: the field path and a message with the fix. Errors stop planning.</summary>
public sealed record BlueprintIssue(bool IsError, string Path, string Message)
{
    public override string ToString() => $"{(IsError ? "error" : "warning")}: {Path}: {Message}";
}
