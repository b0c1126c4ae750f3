using System.Globalization;
using System.Net.Sockets;
using Doris.Kubernetes.Emulator;
using Doris.Testing;

namespace Doris.Cli.Tests;

/// <summary>Reading a running operator process from outside: its /metrics lines, its resident memory, a port for it.</summary>
internal static class OperatorProbe
{
    /// <summary>The dorisctl-operator the test build compiled (JIT only).</summary>
    public static string BuiltBinary()
    {
        // The operator project's own build output (same configuration as this test's), not the copy beside the tests:
        // here the tests' ASP.NET Core framework supplies the logging assemblies, so the copy carries none, and the
        // operator (which takes logging as a package and no ASP.NET Core) would not find them.
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(SharedFiles.RepositoryRoot, "src", "Doris.Cli.Operator", "bin", testBin.Parent!.Name, testBin.Name, "dorisctl-operator");
    }

    public static double? Value(string metrics, string name) =>
        metrics.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Select(l => double.Parse(l[(name.Length + 1)..], CultureInfo.InvariantCulture)).Cast<double?>().FirstOrDefault();

    public static double ResidentMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Pods the operator has no business with (no Doris labels), as one YAML stream for `kubectl create -f`.</summary>
    public static string UnrelatedPods(int count) => Stream(count, i =>
        $"apiVersion: v1\nkind: Pod\nmetadata: {{name: web-{i}, namespace: default, labels: {{app: web}}}}\nspec: {{containers: [{{name: web, image: nginx}}]}}\n");

    /// <summary>
    /// ConfigMaps no cluster names, 8 KiB of data each: the operator watches every ConfigMap (they are the user's and
    /// unlabelled) and keeps only those a cluster names, so caching them, or letting their decoded garbage pile up,
    /// shows in the resident set.
    /// </summary>
    public static string UnrelatedConfigMaps(int count)
    {
        var data = new string('x', 8192);
        return Stream(count, i => $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: web-{i}, namespace: default}}\ndata: {{index.html: '{data}'}}\n");
    }

    private static string Stream(int count, Func<int, string> document)
    {
        var yaml = new System.Text.StringBuilder();
        for (var i = 0; i < count; i++)
        {
            yaml.Append("---\n").Append(document(i));
        }

        return yaml.ToString();
    }

    /// <summary>The environment the image sets for its processes (the Dockerfile's ENV lines; ImageBuildTests checks the built image has the same).</summary>
    public static IReadOnlyList<(string Name, string Value)> ImageEnvironment() =>
        File.ReadLines(Path.Combine(Doris.Testing.SharedFiles.RepositoryRoot, "Dockerfile"))
            .Where(l => l.StartsWith("ENV ", StringComparison.Ordinal))
            .Select(l => l[4..].Trim().Split('=', 2))
            .Select(kv => (kv[0], kv[1]))
            .ToList();

    /// <summary>An emulated API server with the DorisCluster CRD applied by kubectl, and a directory for the test's files.</summary>
    public static async Task<ApiWithCrd> StartApiWithCrdAsync(string prefix)
    {
        var server = await EmulatorServer.StartAsync(new EmulatorOptions { InitialNamespaces = TestNamespaces.All }, TimeProvider.System, default);
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, server.Kubeconfig());
        var cache = Path.Combine(dir, "cache");
        var crd = Path.Combine(dir, "crd.yaml");
        await File.WriteAllTextAsync(crd, CliRun.Of("crd").Out);
        (await Kubectl.RunAsync(kubeconfig, cache, "apply", "-f", crd)).Code.ShouldBe(0);
        return new ApiWithCrd(server, dir, kubeconfig, cache);
    }

    public sealed record ApiWithCrd(EmulatorServer Server, string Dir, string Kubeconfig, string Cache) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
