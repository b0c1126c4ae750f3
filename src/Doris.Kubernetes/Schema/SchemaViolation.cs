namespace Doris.Kubernetes.Schema;

/// <summary>One place where a document breaks its schema: the field path and a message that says how to fix it.</summary>
public sealed record SchemaViolation(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
