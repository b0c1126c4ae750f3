using System.Text.RegularExpressions;
using Doris.Eks.Instances;
using Doris.Eks.Planning;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;
using Doris.Simulation.Time;
using Doris.Testing;

namespace Doris.Sandbox.Tests;

/// <summary>The Spot scenario on the fleet a blueprint plans: its Spot pools are interrupted and short of capacity by seed, its autoscaler replaces nodes.</summary>
public sealed partial class FleetSpotTests
{
    internal static IReadOnlyList<NodeGroupShape> Fleet()
    {
        var yaml = File.ReadAllText(Path.Combine(SharedFiles.RepositoryRoot, "examples", "eks", "kmax-spot.yaml"));
        var (blueprint, issues) = Doris.Eks.Blueprints.BlueprintReader.Read(YamlReader.Read(yaml, "kmax-spot.yaml").Single(), InstanceCatalog.Default);
        blueprint.ShouldNotBeNull(string.Join("\n", issues));
        return PlannedFleet.From(blueprint!, EksPlanner.Plan(blueprint!, InstanceCatalog.Default));
    }

    internal static async Task<(SpotScenario.Result Result, List<string> Lines, NodeAutoscaler Autoscaler)> RunAsync(SpotScenario.Options options)
    {
        var clock = new SimulatedClock();
        await using var env = await SandboxEnvironment.StartAsync(new SandboxOptions { Time = clock, Tls = false, Fleet = Fleet() }, default);
        env.StartOperator();
        var lines = new List<string>();
        var result = await SpotScenario.RunAsync(env, new SimulatedDriver(env, clock) { SkipQuietSteps = true }, options, line => lines.Add($"{clock.GetUtcNow():HH:mm:ss} {line}"), default);
        return (result, lines, env.Cluster.Autoscaler!);
    }

    // The same seed replays the same interruptions on the same nodes at the same simulated instants; another seed does not.
    [Fact]
    public async Task Fleet_SameSeed_SameRun()
    {
        var options = new SpotScenario.Options { Interruptions = 8, Span = TimeSpan.FromMinutes(80), Seed = 11 };

        var first = Events((await RunAsync(options)).Lines);
        var second = Events((await RunAsync(options)).Lines);
        var other = Events((await RunAsync(options with { Seed = 12 })).Lines);

        first.Count.ShouldBeGreaterThanOrEqualTo(8);
        second.ShouldBe(first);
        other.ShouldNotBe(first);
    }

    // The interruption and rebalance events, without the operator's wall-clock figures.
    private static List<string> Events(IEnumerable<string> lines) =>
        [.. lines.Where(l => l.Contains("Spot interruption notice for", StringComparison.Ordinal) || l.Contains("Spot rebalance recommendation for", StringComparison.Ordinal))
            .Select(l => OperatorFigures().Replace(l, string.Empty))];

    [GeneratedRegex(@" \[drains so far: .*\]$")]
    private static partial Regex OperatorFigures();
}
