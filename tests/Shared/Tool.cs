using System.Diagnostics;

namespace Doris.Testing;

/// <summary>Runs a real peer tool (kubectl, Python, ...) to completion with a timeout, capturing both streams.</summary>
internal static class Tool
{
    public static async Task<(int Code, string Out, string Error)> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await error);
    }
}
