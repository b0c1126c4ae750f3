namespace Doris.Kubernetes.Schema;

/// <summary>The only values a string field accepts; becomes <c>enum</c> in generated schemas.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SchemaEnumAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}
