namespace Doris.Api.Validation;

public enum Severity
{
    /// <summary>Worth knowing, but the cluster is rendered as asked.</summary>
    Warning,

    /// <summary>The manifest cannot be applied as written.</summary>
    Error,
}
