using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Doris.Bench.Operator;

/// <summary>The real dorisctl operator as a separate process, so its memory and requests are its own.</summary>
internal sealed partial class OperatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new();

    private OperatorProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Client rate limit given to the operator: high, so the figures show the operator and not the limiter.</summary>
    public static string Qps { get; set; } = "1000";

    public int Pid => _process.Id;

    /// <param name="binary">dorisctl.dll (run with dotnet), or a published dorisctl or dorisctl-operator executable (both take the same operator arguments).</param>
    /// <param name="environment">Variables for the operator's process (runtime settings compared side by side, e.g. DOTNET_GCgen0size).</param>
    public static OperatorProcess Start(string binary, string kubeconfig, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var start = binary.EndsWith(".dll", StringComparison.Ordinal) ? new ProcessStartInfo("dotnet") { ArgumentList = { binary } } : new ProcessStartInfo(binary);
        foreach (var a in new[] { "operator", "--kubeconfig", kubeconfig, "--probe-port", port.ToString(CultureInfo.InvariantCulture), "--log-level", "Warning", "--lease-namespace", "default", "--kube-api-qps", Qps, "--kube-api-burst", Qps })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new OperatorProcess(process, port);
    }

    public async Task<string?> MetricsAsync()
    {
        try
        {
            return await _http.GetStringAsync($"http://127.0.0.1:{Port}/metrics");
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public static double Metric(string metrics, string name) =>
        metrics.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Select(l => double.Parse(l[(name.Length + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();

    /// <summary>Sum of dorisctl_api_requests_total and of its writes (POST/PUT/PATCH/DELETE), leader-election Lease traffic excluded.</summary>
    public static (double All, double Writes) Requests(string metrics)
    {
        double all = 0, writes = 0;
        foreach (Match m in RequestLine().Matches(metrics))
        {
            if (m.Groups["resource"].Value == "leases")
            {
                continue;
            }

            var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            all += n;
            if (m.Groups["verb"].Value is "POST" or "PUT" or "PATCH" or "DELETE")
            {
                writes += n;
            }
        }

        return (all, writes);
    }

    /// <summary>CPU time the operator's process has used so far (user and system).</summary>
    public TimeSpan Cpu()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Resident and peak resident memory from /proc (Linux).</summary>
    public (double RssMiB, double PeakMiB) Memory()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        double Read(string key) => double.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        return (Read("VmRSS"), Read("VmHWM"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _http.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    [GeneratedRegex("""dorisctl_api_requests_total\{verb="(?<verb>[A-Z]+)",resource="(?<resource>[a-z]+)",code="\d+"\} (?<n>[0-9.e+]+)""")]
    private static partial Regex RequestLine();
}
