namespace Doris.Kubernetes.Client.Config;

/// <summary>A kubeconfig, in-cluster setup or credential plugin that cannot be used; the message says what to change.</summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException(string message)
        : base(message)
    {
    }

    public KubeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeConfigException()
    {
    }
}
