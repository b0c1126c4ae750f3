using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Emulator.Storage;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Sandbox;
using Doris.Simulation.Cluster;

namespace Doris.Bench.Operator;

/// <summary>
/// End-to-end operator figures against the emulator and the simulated cluster, with the real dorisctl operator
/// in its own process: time for N clusters to reach Ready, API requests per reconcile, writes in a steady state,
/// resident memory, and time from process start to the first reconcile.
/// </summary>
internal static class OperatorBenchmark
{
    private static string? ProfileDir { get; set; }

    private static bool _warm;

    public static async Task<int> RunAsync(string[] args)
    {
        var clusters = Option(args, "--clusters", "1,100,1000").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList();
        ProfileDir = args.Contains("--profile") ? Option(args, "--profile", ".") : null;
        var unrelated = int.Parse(Option(args, "--unrelated-pods", "10000"), CultureInfo.InvariantCulture);
        var binary = Option(args, "--binary", Path.Combine(AppContext.BaseDirectory, "dorisctl.dll"));
        var startup = Option(args, "--startup", $"jit={binary}").Split(',').Select(s => s.Split('=', 2)).ToList();

        // --variants "shipped=;gen0-default=DOTNET_GCgen0size=" runs each scenario once per variant (label=VAR=value,...),
        // interleaved, so runtime settings are compared in the same run on the same machine state.
        var variants = Option(args, "--variants", "default=").Split(';').Select(v => v.Split('=', 2)).Select(v => (Label: v[0], Env: Environment(v[1]))).ToList();
        var report = new StringBuilder();
        report.Append("| Scenario | Clusters | Unrelated pods | Time to all Ready | Emulator floor (no operator), before / after | Time / mean floor | CPU to Ready: operator / emulator and simulation (floor's) | Reconciles | API requests | Requests per steady reconcile | Writes per steady reconcile | Writes in 15 s steady | RSS idle after Ready | RSS after forced reconciles | Peak RSS | GC heap after last GC |\n");
        report.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var n in clusters)
        {
            foreach (var (label, env) in variants)
            {
                report.Append(await ScenarioAsync(binary, n, 0, label, env)).Append('\n');
                Console.WriteLine(report.ToString().Split('\n')[^2]);
            }
        }

        if (unrelated > 0)
        {
            foreach (var (label, env) in variants)
            {
                report.Append(await ScenarioAsync(binary, clusters.Max(), unrelated, label, env)).Append('\n');
                Console.WriteLine(report.ToString().Split('\n')[^2]);
            }
        }

        report.Append("\n| Build | Process start to first reconciled status |\n|---|---:|\n");
        foreach (var pair in startup)
        {
            var samples = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                samples.Add(await StartupAsync(pair[1]));
            }

            report.Append(CultureInfo.InvariantCulture, $"| {pair[0]} | {samples.Order().ElementAt(1):0} ms (median of 3: {string.Join(", ", samples.Select(x => x.ToString("0", CultureInfo.InvariantCulture)))}) |\n");
        }

        Console.WriteLine();
        Console.WriteLine(report);
        return 0;
    }

    private static Dictionary<string, string> Environment(string spec) =>
        spec.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : string.Empty);

    private static async Task<string> ScenarioAsync(string binary, int count, int unrelatedPods, string label, IReadOnlyDictionary<string, string> environment)
    {
        var options = new SandboxOptions
        {
            Nodes = OperatorFleet.Nodes(count),
            Timings = new SimulationTimings { Start = TimeSpan.Zero, Ready = TimeSpan.Zero, Stop = TimeSpan.Zero },
            Tick = TimeSpan.FromMilliseconds(100),
        };

        // The floor is measured before and after the operator's run and the operator is judged against their mean: on a
        // shared 2-core VM one floor run moved 23-35 s between runs, and the first run in the process also pays for
        // compiling the benchmark's own emulator and simulation.
        if (!_warm)
        {
            // Not measured: the first run in this process compiles the emulator's and the simulation's code, which made
            // the first floor 5-12 s slower than the one after the operator's run.
            await EmulatorFloor.RunAsync(Math.Min(count, 200), 0, options, OperatorFleet.Minimal);
            _warm = true;
        }

        var (floorBefore, floorCpuBefore) = await EmulatorFloor.RunAsync(count, unrelatedPods, options, OperatorFleet.Minimal);
        var (toReady, cpu, cells) = await OperatorRunAsync(binary, count, unrelatedPods, options, environment);
        var (floorAfter, floorCpuAfter) = await EmulatorFloor.RunAsync(count, unrelatedPods, options, OperatorFleet.Minimal);
        var floor = (floorBefore + floorAfter) / 2;
        return string.Create(CultureInfo.InvariantCulture,
            $"| create -> Ready ({label}) | {count} | {unrelatedPods} | {toReady.TotalSeconds:0.0} s | {floorBefore.TotalSeconds:0.0} / {floorAfter.TotalSeconds:0.0} s | {toReady / floor:0.00}x | {cpu.Operator.TotalSeconds:0.0} / {cpu.Bench.TotalSeconds:0.0} s ({((floorCpuBefore + floorCpuAfter) / 2).TotalSeconds:0.0} s) | {cells}");
    }

    // One operator run on its own simulated cluster: the time to all Ready and the row's remaining cells.
    private static async Task<(TimeSpan ToReady, (TimeSpan Operator, TimeSpan Bench) Cpu, string Cells)> OperatorRunAsync(string binary, int count, int unrelatedPods, SandboxOptions options, IReadOnlyDictionary<string, string> environment)
    {
        await using var env = await SandboxEnvironment.StartAsync(options, default);
        if (unrelatedPods > 0)
        {
            OperatorFleet.AddUnrelatedPods(env, unrelatedPods);
        }

        var kubeconfig = Path.GetTempFileName();
        await File.WriteAllTextAsync(kubeconfig, env.Server.Kubeconfig());
        using var stop = new CancellationTokenSource();
        var simulation = env.RunClusterAsync(stop.Token);
        await using var op = OperatorProcess.Start(binary, kubeconfig, environment);
        await Until(async () => await op.MetricsAsync() is { } m && OperatorProcess.Metric(m, "dorisctl_leader") == 1, TimeSpan.FromSeconds(60), "operator to lead");

        await env.EnsureNamespaceAsync("bench");
        // --profile DIR samples both processes from here to all Ready (bench/Doris.Bench/Profiling says how to read it).
        var profileDir = ProfileDir;
        var profiles = profileDir is null ? [] : new[]
        {
            Profiling.CpuProfile.Start(op.Pid, Path.Combine(profileDir, $"operator-{count}.nettrace")),
            Profiling.CpuProfile.Start(System.Environment.ProcessId, Path.Combine(profileDir, $"emulator-{count}.nettrace")),
        };
        var clock = Stopwatch.StartNew();
        var (opCpu, benchCpu) = (op.Cpu(), EmulatorFloor.OwnCpu());
        var template = OperatorFleet.Minimal();
        using (var gate = new SemaphoreSlim(16))
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    await env.Clusters.CreateAsync(template with { Metadata = new ObjectMeta { Name = $"c{i:0000}", Namespace = "bench" } });
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var type = env.Server.Registry.Find("doris.selectdb.com", "v1", "dorisclusters")!;
        await Until(() => Task.FromResult(ReadyCount(env, type) == count), TimeSpan.FromMinutes(20), $"{count} clusters Ready");
        var toReady = clock.Elapsed;
        var cpu = (op.Cpu() - opCpu, EmulatorFloor.OwnCpu() - benchCpu);
        foreach (var profile in profiles)
        {
            await profile.DisposeAsync();
        }
        await Task.Delay(TimeSpan.FromSeconds(3)); // let requeues and the last status writes drain
        var settled = (await op.MetricsAsync())!;

        await Task.Delay(TimeSpan.FromSeconds(15));
        var steady = (await op.MetricsAsync())!;
        var idleMemory = op.Memory(); // 18 s after Ready with nothing to do: what a burst committed has been given back
        var idleWrites = OperatorProcess.Requests(steady).Writes - OperatorProcess.Requests(settled).Writes;

        // One reconcile per cluster with nothing to do: touching a label (no generation change) triggers it.
        var before = OperatorProcess.Metric(steady, "dorisctl_reconcile_total");
        foreach (var i in Enumerable.Range(0, count))
        {
            await env.Clusters.PatchAsync("bench", $"c{i:0000}", PatchType.Merge, """{"metadata":{"labels":{"bench":"touched"}}}""");
        }

        string forced = steady;
        await Until(async () => (forced = (await op.MetricsAsync())!) is { } m && OperatorProcess.Metric(m, "dorisctl_reconcile_total") >= before + count, TimeSpan.FromMinutes(5), "forced reconciles");
        await Task.Delay(TimeSpan.FromSeconds(2));
        forced = (await op.MetricsAsync())!;
        var reconciles = OperatorProcess.Metric(forced, "dorisctl_reconcile_total") - before;
        var (forcedAll, forcedWrites) = OperatorProcess.Requests(forced);
        var (steadyAll, steadyWrites) = OperatorProcess.Requests(steady);
        var memory = op.Memory();
        await stop.CancelAsync();
        await simulation;
        File.Delete(kubeconfig);
        var total = OperatorProcess.Requests(settled).All;
        return (toReady, cpu, string.Create(CultureInfo.InvariantCulture,
            $"{OperatorProcess.Metric(settled, "dorisctl_reconcile_total"):0} | {total:0} | {(forcedAll - steadyAll) / reconciles:0.00} | {(forcedWrites - steadyWrites) / reconciles:0.00} | {idleWrites:0} | {idleMemory.RssMiB:0} MiB | {memory.RssMiB:0} MiB | {memory.PeakMiB:0} MiB | {OperatorProcess.Metric(forced, "dotnet_gc_heap_size_bytes") / 1048576:0} MiB |"));
    }

    private static async Task<double> StartupAsync(string binary)
    {
        await using var env = await SandboxEnvironment.StartAsync(new SandboxOptions { Timings = new SimulationTimings { Start = TimeSpan.Zero, Ready = TimeSpan.Zero } }, default);
        await env.EnsureNamespaceAsync("bench");
        await env.Clusters.CreateAsync(OperatorFleet.Minimal() with { Metadata = new ObjectMeta { Name = "first", Namespace = "bench" } });
        var kubeconfig = Path.GetTempFileName();
        await File.WriteAllTextAsync(kubeconfig, env.Server.Kubeconfig());
        var clock = Stopwatch.StartNew();
        await using var op = OperatorProcess.Start(binary, kubeconfig);
        await Until(async () => (await env.Clusters.GetAsync("bench", "first")).Status?.ObservedGeneration == 1, TimeSpan.FromSeconds(60), "first reconcile", TimeSpan.FromMilliseconds(10));
        File.Delete(kubeconfig);
        return clock.Elapsed.TotalMilliseconds;
    }

    // Read in place under the store's lock (a list would copy all 1,000 clusters every poll, work the floor's run does
    // not do, charged to the operator's).
    private static int ReadyCount(SandboxEnvironment env, ResourceType type) =>
        env.Server.Store.Project(type, "bench", Doris.Kubernetes.Emulator.Storage.LabelSelector.Everything, (_, _, o) =>
            o["status"]?["conditions"] is JsonArray conditions &&
            conditions.Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True") &&
            o["status"]?["observedGeneration"]?.ToJsonString() == o["metadata"]?["generation"]?.ToJsonString()).Count(ready => ready);

    private static async Task Until(Func<Task<bool>> condition, TimeSpan limit, string what, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(250));
        }
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
