namespace Doris.Testing;

/// <summary>Runs the real kubectl with a kubeconfig and a private cache directory (kubectl is a CI prerequisite, never skipped).</summary>
internal static class Kubectl
{
    public static Task<(int Code, string Out, string Error)> RunAsync(string kubeconfig, string cacheDir, params string[] args) =>
        Tool.RunAsync("kubectl", new[] { "--kubeconfig", kubeconfig, "--cache-dir", cacheDir }.Concat(args));
}
