using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Doris.Kubernetes.Emulator.Http;
using Doris.Kubernetes.Emulator.Registry;
using Doris.Kubernetes.Emulator.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Doris.Kubernetes.Emulator;

/// <summary>
/// An in-process, Kubernetes-compatible API server on Kestrel, bound to loopback. Tests, benchmarks and
/// <c>dorisctl emulator</c> start it; the real client and kubectl talk to it over real sockets.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly RequestHandler _handler;
    private readonly X509Certificate2? _certificate;
    private WebApplication _app;

    private EmulatorServer(WebApplication app, RequestHandler handler, X509Certificate2? certificate, Uri address, ObjectStore store, ResourceRegistry registry, Faults faults, string? caPem, string token)
    {
        _app = app;
        _handler = handler;
        _certificate = certificate;
        Address = address;
        Store = store;
        Registry = registry;
        Faults = faults;
        CertificateAuthorityPem = caPem;
        BearerToken = token;
    }

    public Uri Address { get; }

    public ObjectStore Store { get; }

    /// <summary>
    /// Where <c>kubectl port-forward</c> reaches a pod's port: (namespace, pod, port) → a loopback endpoint, or null
    /// when nothing listens there. The simulation sets it (the FE's MySQL port leads to the simulated FE).
    /// </summary>
    public Func<string, string, int, System.Net.IPEndPoint?>? PortTargets
    {
        get => _handler.PortTargets;
        set => _handler.PortTargets = value;
    }

    public ResourceRegistry Registry { get; }

    public Faults Faults { get; }

    public string? CertificateAuthorityPem { get; }

    /// <summary>The token every request must carry (<c>Authorization: Bearer</c>); it is in <see cref="Kubeconfig"/>.</summary>
    public string BearerToken { get; }

    /// <summary>Times the server was restarted (<see cref="RestartAsync"/>).</summary>
    public int Restarts { get; private set; }

    public static async Task<EmulatorServer> StartAsync(EmulatorOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Every request needs the bearer token: generated here unless given, and written only into the kubeconfig.
        options = options with { BearerToken = options.BearerToken ?? NewToken() };
        var store = new ObjectStore(time, options.CompactionWindow, options.WatchBuffer);
        var registry = new ResourceRegistry();

        // The namespaces every cluster starts with.
        foreach (var ns in options.InitialNamespaces.Union(EmulatorOptions.SystemNamespaces))
        {
            store.Create(ResourceRegistry.Namespaces, null, new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = ns } });
        }

        var faults = new Faults();
        var certificate = options.Tls ? ServingCertificate() : null;
        var handler = new RequestHandler(store, registry, faults, time, options);
        var app = await ListenAsync(handler, certificate, options.Port, cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorServer(app, handler, certificate, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)), store, registry, faults, certificate?.ExportCertificatePem(), options.BearerToken!);
    }

    /// <summary>
    /// Fault switch: an API server restart. Every open connection is reset, the port refuses connections for
    /// <paramref name="downtime"/>, then the same storage is served again on the same address and certificate.
    /// With <paramref name="forgetHistory"/> the watch history starts afresh, so clients resuming an old watch get 410.
    /// </summary>
    public async Task RestartAsync(TimeSpan downtime, bool forgetHistory = false, CancellationToken cancellationToken = default)
    {
        Faults.BreakWatches(WatchBreak.Reset);
        Store.DropWatches();
        using (var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(quick.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        if (forgetHistory)
        {
            Store.ExpireResourceVersions();
        }

        await Task.Delay(downtime, cancellationToken).ConfigureAwait(false);
        _app = await ListenAsync(_handler, _certificate, Address.Port, cancellationToken).ConfigureAwait(false);
        Restarts++;
    }

    private static async Task<WebApplication> ListenAsync(RequestHandler handler, X509Certificate2? certificate, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null; // the handler enforces the API server's own limit and error
            k.Listen(IPAddress.Loopback, port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        var app = builder.Build();
        app.UseWebSockets(); // port forwarding for WebSocket clients (the Python client, our own)
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }

    /// <summary>A kubeconfig that points kubectl (or our client) at this server, trusting its certificate.</summary>
    public string Kubeconfig()
    {
        var ca = CertificateAuthorityPem is null ? string.Empty : $"\n    certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(CertificateAuthorityPem))}";
        var user = $"{{token: {BearerToken}}}";
        return $"apiVersion: v1\nkind: Config\ncurrent-context: emulator\nclusters:\n- name: emulator\n  cluster:\n    server: {Address.ToString().TrimEnd('/')}{ca}\nusers:\n- name: emulator\n  user: {user}\ncontexts:\n- name: emulator\n  context:\n    cluster: emulator\n    user: emulator\n    namespace: default\n";
    }

    public async ValueTask DisposeAsync()
    {
        Store.DropWatches();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static X509Certificate2 ServingCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=dorisctl-emulator", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
