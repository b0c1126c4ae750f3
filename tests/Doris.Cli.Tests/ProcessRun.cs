using System.Diagnostics;
using System.Globalization;

namespace Doris.Cli.Tests;

/// <summary>
/// The built dorisctl as a separate process, as a user runs it: a stack overflow or an out-of-memory kill shows as
/// the exit code it really is. The managed heap is capped (<c>DOTNET_GCHeapHardLimit</c>) and the peak resident
/// memory sampled from <c>/proc</c>, so a run that would eat the machine fails here instead.
/// </summary>
internal sealed record ProcessRun(int ExitCode, string Out, string Error, TimeSpan Took, long PeakBytes, bool TimedOut)
{
    public const long HeapLimitBytes = 512L * 1024 * 1024;

    private static string Binary => Path.Combine(AppContext.BaseDirectory, "dorisctl");

    public static async Task<ProcessRun> RunAsync(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + HeapLimitBytes.ToString("X", CultureInfo.InvariantCulture);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        long peak = 0;
        var timedOut = false;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, PeakOf(process.Id));
            if (clock.Elapsed > timeout)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                break;
            }

            await Task.Delay(10);
        }

        await process.WaitForExitAsync();
        return new ProcessRun(process.ExitCode, await output, await error, clock.Elapsed, peak, timedOut);
    }

    // VmHWM: the process's peak resident set so far (0 once it has gone).
    private static long PeakOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
