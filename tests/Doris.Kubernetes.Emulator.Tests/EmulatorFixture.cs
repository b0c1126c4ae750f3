using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Emulator.Tests;

/// <summary>A running emulator on a free loopback port, and a raw HTTP client that trusts its certificate.</summary>
internal sealed class EmulatorFixture : IAsyncDisposable
{
    private EmulatorFixture(EmulatorServer server, HttpClient http)
    {
        Server = server;
        Http = http;
    }

    public EmulatorServer Server { get; }

    public HttpClient Http { get; }

    public static async Task<EmulatorFixture> StartAsync(EmulatorOptions? options = null)
    {
        var server = await EmulatorServer.StartAsync(options ?? new EmulatorOptions { InitialNamespaces = Doris.Testing.TestNamespaces.All, BookmarkInterval = TimeSpan.FromMilliseconds(200) }, TimeProvider.System, default);
        var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(server.CertificateAuthorityPem!);
        var handler = new HttpClientHandler
        {
            // Trust exactly the emulator's certificate, as the kubeconfig it writes does.
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && cert.RawData.AsSpan().SequenceEqual(ca.RawData),
        };
        var http = new HttpClient(handler) { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", server.BearerToken);
        return new EmulatorFixture(server, http);
    }

    public async Task<(int Code, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
