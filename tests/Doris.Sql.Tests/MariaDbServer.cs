using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Doris.Sql.Tests;

/// <summary>
/// A private MariaDB server for the protocol tests: its own data directory and loopback port, started from the
/// Debian package's binaries (.ci/run installs mariadb-server) and stopped afterwards. No system service is used.
/// A missing server fails the tests, it does not skip them.
/// </summary>
public class MariaDbServer : IAsyncLifetime
{
    public const string User = "dorisctl";
    public const string Password = "s3cret-Pass";

    private readonly string _dir = Directory.CreateTempSubdirectory("mariadb-").FullName;
    private Process? _server;

    public int Port { get; private set; }

    /// <summary>The CA that signed the server's certificate (generated per run; TLS is offered on every connection).</summary>
    public X509Certificate2 CertificateAuthority { get; private set; } = null!;

    /// <summary>A client certificate signed by the same CA, for <see cref="X509User"/>.</summary>
    public X509Certificate2 ClientCertificate { get; private set; } = null!;

    /// <summary>An account that must connect over TLS with a client certificate (REQUIRE X509), as a TLS-only FE demands.</summary>
    public const string X509User = "dorisctl_x509";

    /// <summary>Server options a variant adds (a TLS-only server).</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    public MySqlOptions Options(string? password = null) => new("127.0.0.1", Port, User, password ?? Password) { CommandTimeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        var data = Path.Combine(_dir, "data");
        var user = Environment.UserName;

        // A private temporary directory: two servers bootstrapping at once in the shared /tmp once lost a temporary
        // table ("Could not remove temporary table '/tmp/#sql-temptable-...'") and the install aborted.
        var tmp = Directory.CreateDirectory(Path.Combine(_dir, "tmp")).FullName;
        await RunAsync(Find("mariadb-install-db"), "--no-defaults", $"--datadir={data}", $"--user={user}", "--auth-root-authentication-method=normal", "--skip-test-db", $"--tmpdir={tmp}");
        Port = FreePort();
        var certificates = Testing.TestCertificates.Create();
        CertificateAuthority = certificates.Authority;
        ClientCertificate = certificates.Client;
        await File.WriteAllTextAsync(Path.Combine(_dir, "ca.pem"), certificates.CaPem);
        await File.WriteAllTextAsync(Path.Combine(_dir, "server.pem"), certificates.ServerPem);
        await File.WriteAllTextAsync(Path.Combine(_dir, "server-key.pem"), certificates.ServerKeyPem);
        var start = new ProcessStartInfo(Find("mariadbd"))
        {
            ArgumentList =
            {
                "--no-defaults", $"--datadir={data}", $"--tmpdir={tmp}", $"--port={Port}", "--bind-address=127.0.0.1", $"--socket={Path.Combine(_dir, "sock")}",
                $"--pid-file={Path.Combine(_dir, "pid")}", $"--user={user}", "--max-allowed-packet=64M", "--skip-log-bin", $"--log-error={Path.Combine(_dir, "error.log")}",
                $"--ssl-ca={Path.Combine(_dir, "ca.pem")}", $"--ssl-cert={Path.Combine(_dir, "server.pem")}", $"--ssl-key={Path.Combine(_dir, "server-key.pem")}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in ExtraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        _server = Process.Start(start)!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        // root has no password right after install over the socket; create the test account with a password.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await RunAsync(Find("mariadb"), $"--socket={Path.Combine(_dir, "sock")}", "-uroot", "-e",
                    $"CREATE USER '{User}'@'%' IDENTIFIED BY '{Password}'; GRANT ALL ON *.* TO '{User}'@'%'; CREATE DATABASE doris_test; " +
                    $"CREATE USER '{X509User}'@'%' IDENTIFIED BY '{Password}' REQUIRE X509; GRANT SELECT ON *.* TO '{X509User}'@'%';");
                break;
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline && !_server.HasExited)
            {
                await Task.Delay(250);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Find(string name)
    {
        foreach (var dir in new[] { "/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin" })
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"{name} not found: install mariadb-server (apt-get install mariadb-server; .ci/run does this)");
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {p.ExitCode}: {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

[CollectionDefinition("mariadb")]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbServer>;

/// <summary>A MariaDB that refuses every TCP connection without TLS (<c>require_secure_transport</c>), as a TLS-only FE does.</summary>
public sealed class SecureTransportMariaDbServer : MariaDbServer
{
    protected override IEnumerable<string> ExtraArguments => ["--require-secure-transport=ON"];
}
