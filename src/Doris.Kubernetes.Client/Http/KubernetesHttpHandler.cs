using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Doris.Kubernetes.Client.Config;

namespace Doris.Kubernetes.Client.Http;

/// <summary>
/// The HTTP pipeline for one cluster: TLS that trusts the kubeconfig's CA (verification on unless the kubeconfig
/// explicitly disables it), the client certificate, bearer credentials refreshed once after a 401, the rate
/// limit, and retries of throttled or failed requests honouring Retry-After with capped exponential back-off.
/// </summary>
internal sealed class KubernetesHttpHandler : DelegatingHandler
{
    private readonly ClusterConnection _connection;
    private readonly ClientOptions _options;
    private readonly TokenBucket _bucket;
    private readonly TimeProvider _time;

    public KubernetesHttpHandler(ClusterConnection connection, ClientOptions options, TimeProvider time)
    {
        _connection = connection;
        _options = options;
        _time = time;
        _bucket = new TokenBucket(options.Qps, options.Burst, time);
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (connection.ClientCertificate is { } certificate)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }

        if (ChainPolicyFor(connection) is { } policy)
        {
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        handler.SslOptions.RemoteCertificateValidationCallback = Validate;
        InnerHandler = handler;
    }

    public int Retries { get; private set; }

    // Trust exactly the kubeconfig's authorities, not the machine's store: the handshake builds the chain against
    // them alone (one chain, not a second one in the callback). .NET on Linux still loads the machine's stores on a
    // process's first chain build, whatever the trust mode (TlsWarmup moves that off the first handshake).
    internal static X509ChainPolicy? ChainPolicyFor(ClusterConnection connection)
    {
        if (connection.InsecureSkipTlsVerify || connection.TrustedCertificateAuthorities.Count == 0)
        {
            return null;
        }

        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(connection.TrustedCertificateAuthorities);
        return policy;
    }

    public RequestCounter Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var contentType = request.Content?.Headers.ContentType;
        var refreshed = false;
        for (var attempt = 0; ; attempt++)
        {
            await _bucket.WaitAsync(cancellationToken).ConfigureAwait(false);
            using var copy = Copy(request, body, contentType);
            if (_connection.Credentials is { } source)
            {
                var credential = await source.GetAsync(refreshed, cancellationToken).ConfigureAwait(false);
                if (credential.Token is { } token)
                {
                    copy.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }
            }

            var response = await base.SendAsync(copy, cancellationToken).ConfigureAwait(false);
            Requests.Record(IsWatch(request) ? "WATCH" : request.Method.Method, RequestCounter.ResourceOf(request.RequestUri), (int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Unauthorized && _connection.Credentials is not null && !refreshed)
            {
                // The cached token may have been revoked or rotated early: fetch a new one once.
                refreshed = true;
                response.Dispose();
                attempt--;
                continue;
            }

            if (!Retriable(response.StatusCode) || attempt >= _options.MaxRetries || IsWatch(request))
            {
                return response;
            }

            var delay = RetryAfter(response) ?? Backoff(attempt);
            response.Dispose();
            Retries++;
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt);
        var jitter = 1 + (Random.Shared.NextDouble() * 0.2);
        return TimeSpan.FromMilliseconds(Math.Min(_options.MaxBackoff.TotalMilliseconds, exponential * jitter));
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta is { } delta ? TimeSpan.FromTicks(Math.Min(delta.Ticks, _options.MaxBackoff.Ticks)) : null;

    private static bool Retriable(HttpStatusCode code) => code is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static bool IsWatch(HttpRequestMessage request) => request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) == true;

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body, MediaTypeHeaderValue? contentType)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            copy.Content.Headers.ContentType = contentType;
        }

        return copy;
    }

    // The chain was built with the policy above (the kubeconfig's authorities) or the machine's store (none given).
    // SocketsHttpHandler checks the certificate against the server URL's host; a kubeconfig's tls-server-name (the
    // API server reached by address, its certificate naming it otherwise) is checked here instead, and alone, as
    // client-go does. insecure-skip-tls-verify alone lets a failure through. A refusal is described (TlsRefusal),
    // because the handshake's own exception says only that a callback refused.
    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_connection.InsecureSkipTlsVerify)
        {
            return true;
        }

        if (certificate is null)
        {
            TlsRefusal = "the API server sent no certificate";
            return false;
        }

        var hasServerName = _connection.TlsServerName is { Length: > 0 };
        if (!hasServerName && errors == SslPolicyErrors.None)
        {
            TlsRefusal = null;
            return true; // the common case: nothing to copy or compare
        }

        using var served = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var named = hasServerName ? _connection.TlsServerName! : _connection.Server.IdnHost;
        var nameOk = hasServerName ? TlsRefusals.Names(served, named) : (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        var chainOk = (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        if (nameOk && chainOk)
        {
            TlsRefusal = null; // a later failure of another kind must not be reported with an old refusal
            return true;
        }

        TlsRefusal = TlsRefusals.Describe(served, chain, chainOk, named, _connection);
        return false;
    }

    /// <summary>Why the last handshake refused the API server's certificate (null until one does, and after one accepts it).</summary>
    public string? TlsRefusal { get; private set; }
}
