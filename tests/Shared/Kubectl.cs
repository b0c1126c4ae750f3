using System.Diagnostics;

namespace Doris.Testing;

/// <summary>Runs the real kubectl with a kubeconfig and a private cache directory (kubectl is a CI prerequisite, never skipped).</summary>
internal static class Kubectl
{
    public static async Task<(int Code, string Out, string Error)> RunAsync(string kubeconfig, string cacheDir, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--kubeconfig", kubeconfig, "--cache-dir", cacheDir }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
