namespace Doris.Kubernetes.Schema;

/// <summary>The largest value a numeric field accepts (a physical bound); becomes <c>maximum</c> in generated schemas.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MaximumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}
