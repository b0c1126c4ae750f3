using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Doris.Kubernetes.Client.Config;

namespace Doris.Kubernetes.Client.Auth;

/// <summary>
/// Runs a credential plugin (<c>client.authentication.k8s.io/v1</c> or <c>v1beta1</c>), passing
/// <c>KUBERNETES_EXEC_INFO</c>, and caches its credential until shortly before it expires or until a 401.
/// The plugin's output is never logged or put in an error message: it holds the token.
/// </summary>
public sealed class ExecCredentialSource(ExecConfig config, ExecCluster? cluster, TimeProvider time) : ICredentialSource
{
    public static readonly string[] SupportedApiVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"];

    /// <summary>Refresh this long before the stated expiry, so a request never leaves with a token about to lapse.</summary>
    public static readonly TimeSpan ExpirySkew = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan PluginTimeout = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private Credential? _cached;

    public int Runs { get; private set; }

    public async ValueTask<Credential> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is null || forceRefresh || _cached.Expires is { } expires && time.GetUtcNow() >= expires - ExpirySkew)
            {
                _cached = await RunAsync(cancellationToken).ConfigureAwait(false);
            }

            return _cached;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<Credential> RunAsync(CancellationToken cancellationToken)
    {
        var apiVersion = config.ApiVersion ?? string.Empty;
        if (!SupportedApiVersions.Contains(apiVersion))
        {
            throw new KubeConfigException($"exec plugin '{config.Command}': apiVersion '{apiVersion}' is not supported; use client.authentication.k8s.io/v1 or v1beta1");
        }

        if (config.InteractiveMode == "Always")
        {
            throw new KubeConfigException($"exec plugin '{config.Command}' requires an interactive terminal (interactiveMode: Always), which an operator does not have; use a plugin mode that runs unattended");
        }

        var start = new ProcessStartInfo(config.Command ?? throw new KubeConfigException("exec plugin has no command; set users[].user.exec.command"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var arg in config.Args ?? [])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var env in config.Env ?? [])
        {
            if (env.Name is { Length: > 0 } name)
            {
                start.Environment[name] = env.Value ?? string.Empty;
            }
        }

        var info = new ExecCredential
        {
            ApiVersion = apiVersion,
            Kind = "ExecCredential",
            Spec = new ExecCredentialSpec { Interactive = false, Cluster = config.ProvideClusterInfo == true ? cluster : null },
        };
        start.Environment["KUBERNETES_EXEC_INFO"] = JsonSerializer.Serialize(info, ClientJsonContext.Default.ExecCredential);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new KubeConfigException($"exec plugin '{config.Command}' could not be started");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KubeConfigException($"exec plugin '{config.Command}' could not be run: {e.Message}. {config.InstallHint ?? "Install it or fix users[].user.exec.command in the kubeconfig"}", e);
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PluginTimeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new KubeConfigException($"exec plugin '{config.Command}' did not finish within {PluginTimeout.TotalSeconds:0} s; check that it can run without a prompt");
            }

            Runs++;
            if (process.ExitCode != 0)
            {
                var error = (await stderr.ConfigureAwait(false)).Trim();
                throw new KubeConfigException($"exec plugin '{config.Command}' failed with exit code {process.ExitCode}: {Last(error, 400)}");
            }

            return Parse(await stdout.ConfigureAwait(false), apiVersion);
        }
    }

    private Credential Parse(string output, string apiVersion)
    {
        ExecCredential? credential;
        try
        {
            credential = JsonSerializer.Deserialize(output, ClientJsonContext.Default.ExecCredential);
        }
        catch (JsonException)
        {
            throw new KubeConfigException($"exec plugin '{config.Command}' printed something that is not an ExecCredential JSON object; check the plugin version");
        }

        if (credential?.Kind != "ExecCredential" || credential.ApiVersion != apiVersion)
        {
            throw new KubeConfigException($"exec plugin '{config.Command}' returned kind '{credential?.Kind}' apiVersion '{credential?.ApiVersion}', expected ExecCredential {apiVersion}; align users[].user.exec.apiVersion with the plugin");
        }

        var status = credential.Status;
        X509Certificate2? certificate = null;
        if (status?.ClientCertificateData is { Length: > 0 } certPem && status.ClientKeyData is { Length: > 0 } keyPem)
        {
            certificate = TlsMaterial.ClientCertificate(certPem, keyPem, $"exec plugin '{config.Command}'");
        }

        if (status?.Token is not { Length: > 0 } && certificate is null)
        {
            throw new KubeConfigException($"exec plugin '{config.Command}' returned neither a token nor a client certificate");
        }

        return new Credential(status?.Token is { Length: > 0 } token ? token : null, certificate, status?.ExpirationTimestamp);
    }

    private static string Last(string text, int length) => text.Length <= length ? text : "..." + text[^length..];
}
