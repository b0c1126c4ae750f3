namespace Doris.Kubernetes.Serialization;

/// <summary>A manifest that cannot be read at all (not YAML, not an object): the user must fix the file.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException(string message)
        : base(message)
    {
    }

    public ManifestException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ManifestException()
    {
    }
}
