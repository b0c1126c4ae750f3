using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Validation;
using Doris.Api.V1;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Sandbox;
using Doris.Simulation.Cluster;
using Doris.Simulation.Time;
using Doris.Testing;

namespace Doris.Sandbox.Tests;

/// <summary>
/// A sandbox on simulated time: the test moves the clock a quarter second at a time, steps the simulated cluster,
/// and gives the operator (real HTTP, real watches) a moment of real time to react before looking again.
/// </summary>
internal sealed class Scenario : IAsyncDisposable
{
    public static readonly TimeSpan StepSize = TimeSpan.FromMilliseconds(250);

    private readonly SimulatedDriver _driver;

    private Scenario(SandboxEnvironment env, SimulatedClock clock)
    {
        Env = env;
        Clock = clock;
        _driver = new SimulatedDriver(env, clock);
    }

    public SandboxEnvironment Env { get; }

    public SimulatedClock Clock { get; }

    public TypedStore Store => Env.Cluster.Store;

    public static async Task<Scenario> StartAsync(SimulationTimings? timings = null, IReadOnlyList<NodeShape>? nodes = null)
    {
        var clock = new SimulatedClock();
        var env = await SandboxEnvironment.StartAsync(new SandboxOptions { Time = clock, Tls = false, Timings = timings ?? new SimulationTimings(), Nodes = nodes ?? NodeShape.DefaultFleet() }, default);
        return new Scenario(env, clock);
    }

    /// <summary>The DorisCluster and ConfigMaps of one of our examples.</summary>
    public static (DorisCluster Cluster, IReadOnlyList<ConfigMap> ConfigMaps) Example(string name, string ns = "default")
    {
        var text = File.ReadAllText(Path.Combine(SharedFiles.RepositoryRoot, "examples", name + ".yaml"));
        DorisCluster? cluster = null;
        var maps = new List<ConfigMap>();
        foreach (var doc in YamlReader.Read(text, name))
        {
            if (doc.Root?["kind"]?.GetValue<string>() == "ConfigMap")
            {
                var cm = doc.Root.Deserialize(KubernetesJsonContext.Default.ConfigMap)!;
                maps.Add(cm with { Metadata = cm.Metadata! with { Namespace = ns } });
            }
            else
            {
                var read = DorisClusterReader.Read(doc);
                read.HasErrors.ShouldBeFalse(string.Join("; ", read.Issues));
                cluster = read.Cluster!;
            }
        }

        return (cluster! with { Metadata = cluster!.Metadata! with { Namespace = ns } }, maps);
    }

    public OperatorRun StartOperator(string identity = "op-a") => Env.StartOperator(identity);

    /// <summary>Advances simulated time step by step until the condition holds; fails after <paramref name="limit"/> of simulated time.</summary>
    public async Task<TimeSpan> RunUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var start = Clock.GetUtcNow();
        while (!await condition())
        {
            if (Clock.GetUtcNow() - start > limit)
            {
                Assert.Fail($"{what}: not reached within {limit.TotalSeconds}s of simulated time. {await DescribeAsync()}");
            }

            await StepAsync();
        }

        return Clock.GetUtcNow() - start;
    }

    /// <summary>Runs the world for a span of simulated time, checking an invariant after every step.</summary>
    public async Task RunForAsync(TimeSpan span, Func<Task>? invariant = null)
    {
        var end = Clock.GetUtcNow() + span;
        while (Clock.GetUtcNow() < end)
        {
            await StepAsync();
            if (invariant is not null)
            {
                await invariant();
            }
        }
    }

    /// <summary>What the clusters' status says, for failure messages.</summary>
    public async Task<string> DescribeAsync()
    {
        var text = new System.Text.StringBuilder();
        foreach (var c in (await Env.Clusters.ListAsync(null)).Items)
        {
            text.Append(c.Metadata!.Name).Append(": ");
            foreach (var condition in c.Status?.Conditions ?? [])
            {
                text.Append(condition.Type).Append('=').Append(condition.Status).Append(" (").Append(condition.Message).Append(") ");
            }
        }

        return text.ToString();
    }

    public Task StepAsync() => _driver.StepAsync(StepSize);

    public async Task<DorisCluster> ClusterAsync(string name, string ns = "default") => await Env.Clusters.GetAsync(ns, name);

    public async Task<bool> IsReadyAsync(string name, string ns = "default")
    {
        var c = await ClusterAsync(name, ns);
        return c.Status?.ObservedGeneration == c.Metadata!.Generation &&
               c.Status?.Conditions?.Any(x => x.Type == "Ready" && x.Status == "True") == true;
    }

    public IReadOnlyList<Pod> Pods(string ns = "default", string? selector = null) => Store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod, ns, selector);

    public async ValueTask DisposeAsync() => await Env.DisposeAsync();
}
