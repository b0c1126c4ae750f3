namespace Doris.Kubernetes.Schema;

/// <summary>The smallest value a numeric field accepts; becomes <c>minimum</c> in generated schemas.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MinimumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}
