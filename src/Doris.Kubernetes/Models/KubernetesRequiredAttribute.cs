namespace Doris.Kubernetes.Models;

/// <summary>Marks a field the API server requires; schema generation turns it into <c>required</c>.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class KubernetesRequiredAttribute : Attribute;
