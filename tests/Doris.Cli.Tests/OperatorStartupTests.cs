using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Doris.Testing;
using Xunit.Abstractions;

namespace Doris.Cli.Tests;

/// <summary>Builds that write into the same Release output: run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ReleasePublishCollection
{
    public const string Name = "release publishes";
}

/// <summary>
/// The CI guard for issue 19's start-up goal (start to /readyz <= 250 ms, ReadyToRun) without a clock in a test (time
/// is the benchmark's, bench/RESULTS.md): a ReadyToRun build's start-up is mostly what the JIT still has to compile,
/// and that is a count. The ReadyToRun `dorisctl-operator` is published here, started against the emulator with one
/// cluster waiting, and read once it is ready and has written that cluster's status. The test build (JIT only) of
/// the same program, started the same way, is what losing ReadyToRun or adding start-up work looks like.
/// </summary>
[Collection(ReleasePublishCollection.Name)]
public sealed partial class OperatorStartupTests(ITestOutputHelper output)
{
    // Methods compiled by the first status over TLS, measured on the 2-core VMs: the self-contained composite
    // ReadyToRun publish 494 (2026-12-02), 365 once it kept the ILLink descriptors, 180 with the runtime pack's
    // start-up profile too (2026-12-03); the framework-dependent build it replaced 1,871, the JIT-only build about
    // 5,700 (bench/RESULTS.md). The bound is 1.6x today's: losing the composite build, the descriptors or the profile
    // (or adding much start-up work) crosses it.
    private const double ReadyToRunMethodsBound = 300;

    // By "caches synced" (the log line, before any reconcile or tier-1 recompilation), over TLS: about 107 since the
    // publish also hands crossgen2 the runtime pack's start-up profile (the generic instantiations a .NET start uses),
    // 263 with only the trimmed assemblies' ILLink descriptors kept (crossgen2 roots what they name: the methods the
    // runtime itself calls), about 385 with neither (sessions 18-19, bench/RESULTS.md). The count is the same run to
    // run within a few methods, so a bound between the first two tells losing either apart.
    private const int ReadyToRunSyncedMethodsBound = 180;

    [Fact]
    public async Task ReadyToRunOperator_ReadyWithFirstStatus_CompilesFewMethodsAtRunTime()
    {
        await using var api = await OperatorProbe.StartApiWithCrdAsync("startup-");
        var publish = Path.Combine(api.Dir, "r2r");
        var built = await Tool.RunAsync("dotnet", ["publish", Path.Combine(SharedFiles.RepositoryRoot, "src", "Doris.Cli.Operator"), "-c", "Release", "-o", publish, "-v", "q", "-nologo"], TimeSpan.FromMinutes(10));
        built.Code.ShouldBe(0, built.Out + built.Error);

        var readyToRun = await StartedAsync(api, Path.Combine(publish, "dorisctl-operator"), "first");
        var jitOnly = await StartedAsync(api, OperatorProbe.BuiltBinary(), "second");
        output.WriteLine($"methods compiled at run time by first status: ReadyToRun {readyToRun.Methods}, JIT only {jitOnly.Methods}; " +
            $"the operator's own log: ReadyToRun \"{readyToRun.SyncedLine}\", JIT \"{jitOnly.SyncedLine}\"");

        readyToRun.Methods.ShouldBeLessThanOrEqualTo(ReadyToRunMethodsBound, "a ReadyToRun build compiles little at start-up");
        jitOnly.Methods.ShouldBeGreaterThan(ReadyToRunMethodsBound, "the JIT-only build is what a lost ReadyToRun looks like: the guard tells them apart");
        readyToRun.SyncedLine.ShouldContain($"({readyToRun.SyncedMethods} methods compiled at run time)");
        int.Parse(readyToRun.SyncedMethods, CultureInfo.InvariantCulture).ShouldBeLessThanOrEqualTo(ReadyToRunSyncedMethodsBound,
            "by caches synced; more means start-up methods are no longer precompiled (the publish must keep ILLink descriptors and pass the runtime pack's StandardOptimizationData.mibc: Doris.Cli.Operator.csproj)");
    }

    private sealed record Started(double Methods, string SyncedLine, string SyncedMethods);

    // Starts the operator with a new cluster waiting for it (the one before is already steady: no write to wait for),
    // waits until it is ready and has written that cluster's status, reads /metrics and its log, and stops it.
    private static async Task<Started> StartedAsync(OperatorProbe.ApiWithCrd api, string binary, string cluster)
    {
        var file = Path.Combine(api.Dir, cluster + ".yaml");
        await File.WriteAllTextAsync(file, $"apiVersion: doris.selectdb.com/v1\nkind: DorisCluster\nmetadata: {{name: {cluster}, namespace: default}}\nspec:\n  feSpec: {{replicas: 1, image: apache/doris:fe-2.1.8}}\n  beSpec: {{replicas: 1, image: apache/doris:be-2.1.8}}\n");
        (await Kubectl.RunAsync(api.Kubeconfig, api.Cache, "apply", "-f", file)).Code.ShouldBe(0);
        (await Kubectl.RunAsync(api.Kubeconfig, api.Cache, "delete", "lease", "-n", "default", "--all")).Code.ShouldBe(0); // the last run was killed holding it
        var port = OperatorProbe.FreePort();
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "operator", "--kubeconfig", api.Kubeconfig, "--probe-port", port.ToString(CultureInfo.InvariantCulture), "--lease-namespace", "default", "--log-level", "Information" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            for (var i = 0; ; i++)
            {
                await Task.Delay(100);
                var ready = await GetAsync(http, port, "/readyz");
                var observed = await ObservedGenerationAsync(api, cluster);
                if (ready == "ok" && observed is { Length: > 0 })
                {
                    break;
                }

                if (i == 600 || process.HasExited)
                {
                    process.Kill();
                    Assert.Fail($"not ready with {cluster}'s status written within a minute: /readyz {ready ?? "(no answer)"}, observedGeneration '{observed}'; log: {await output}{await errors}");
                }
            }

            var methods = OperatorProbe.Value(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics")), "dotnet_jit_compiled_methods_total");
            methods.ShouldNotBeNull();
            return await StoppedAsync(process, output, errors, methods.Value);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task<Started> StoppedAsync(Process process, Task<string> output, Task<string> errors, double methods)
    {
        process.Kill(); // SIGKILL: the log line we read was written long before
        await process.WaitForExitAsync();
        var log = await output + await errors;
        var line = log.Split('\n').FirstOrDefault(l => l.Contains("caches synced", StringComparison.Ordinal)) ?? string.Empty;
        line.ShouldNotBeEmpty(log);
        return new Started(methods, line.Trim(), SyncedMethods().Match(line).Groups[1].Value);
    }

    private static async Task<string?> ObservedGenerationAsync(OperatorProbe.ApiWithCrd api, string cluster)
    {
        var got = await Kubectl.RunAsync(api.Kubeconfig, api.Cache, "get", "doriscluster", cluster, "-n", "default", "-o", "jsonpath={.status.observedGeneration}");
        return got.Code == 0 ? got.Out.Trim() : null;
    }

    private static async Task<string?> GetAsync(HttpClient http, int port, string path)
    {
        try
        {
            return await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}{path}"));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\((\d+) methods compiled at run time\)")]
    private static partial Regex SyncedMethods();
}
