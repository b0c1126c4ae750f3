using Doris.Kubernetes.Client.Config;

namespace Doris.Kubernetes.Client.Auth;

/// <summary>
/// A token read from a file that someone else rotates (kubeconfig <c>tokenFile</c>, a projected service-account
/// token). Re-read at most once a minute, and at once after a 401, so rotation never locks us out.
/// </summary>
public sealed class TokenFileSource(string path, TimeProvider time) : ICredentialSource
{
    public static readonly TimeSpan RereadInterval = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private Credential? _cached;
    private DateTimeOffset _readAt;

    public async ValueTask<Credential> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is null || forceRefresh || time.GetUtcNow() - _readAt >= RereadInterval)
            {
                string token;
                try
                {
                    token = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new KubeConfigException($"cannot read the token file '{path}': {e.Message}; check that it exists and is readable", e);
                }

                if (token.Length == 0)
                {
                    throw new KubeConfigException($"the token file '{path}' is empty; it must contain a bearer token");
                }

                _cached = new Credential(token, null, null);
                _readAt = time.GetUtcNow();
            }

            return _cached;
        }
        finally
        {
            _lock.Release();
        }
    }
}
