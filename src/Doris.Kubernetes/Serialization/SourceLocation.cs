namespace Doris.Kubernetes.Serialization;

/// <summary>Where a value came from in a manifest, so errors can point at the line the user must change.</summary>
public sealed record SourceLocation(string Source, int Line, int Column)
{
    public override string ToString() => $"{Source}:{Line}:{Column}";
}
