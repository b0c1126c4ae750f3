namespace Doris.Kubernetes.Models;

/// <summary>The apiVersion and kind a record serialises as; read by writers that must stamp them.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class KubernetesKindAttribute(string apiVersion, string kind) : Attribute
{
    public string ApiVersion { get; } = apiVersion;

    public string Kind { get; } = kind;
}
