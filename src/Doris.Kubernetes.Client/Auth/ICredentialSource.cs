namespace Doris.Kubernetes.Client.Auth;

/// <summary>Supplies credentials; <paramref name="forceRefresh"/> is set after the server answered 401 to the cached one.</summary>
public interface ICredentialSource
{
    ValueTask<Credential> GetAsync(bool forceRefresh, CancellationToken cancellationToken);
}
