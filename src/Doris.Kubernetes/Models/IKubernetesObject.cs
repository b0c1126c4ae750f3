namespace Doris.Kubernetes.Models;

/// <summary>A top-level API object: something with a kind and metadata that the API server stores.</summary>
public interface IKubernetesObject
{
    string? ApiVersion { get; }

    string? Kind { get; }

    ObjectMeta? Metadata { get; }
}
