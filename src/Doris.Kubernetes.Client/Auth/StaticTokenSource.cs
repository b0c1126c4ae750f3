namespace Doris.Kubernetes.Client.Auth;

/// <summary>A bearer token written in the kubeconfig.</summary>
public sealed class StaticTokenSource(string token) : ICredentialSource
{
    private readonly Credential _credential = new(token, null, null);

    public ValueTask<Credential> GetAsync(bool forceRefresh, CancellationToken cancellationToken) => ValueTask.FromResult(_credential);
}
