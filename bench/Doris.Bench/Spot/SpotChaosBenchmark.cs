using System.Globalization;
using Doris.Sandbox;
using Doris.Simulation.Cluster;
using Doris.Simulation.Time;

namespace Doris.Bench.Spot;

/// <summary>
/// <c>spot-chaos [--interruptions N] [--hours H] [--seed S] [--fleet BLUEPRINT] [--out FILE]</c>: the chaos run of the Spot scenario
/// (emulator, simulation and operator in one process, on simulated time) and its figures as a Markdown results
/// file, bench/SPOT-CHAOS.md by default. The run is deterministic in its events for a seed; drain wall times vary.
/// </summary>
internal static class SpotChaosBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new SpotScenario.Options();
        var output = Path.Combine("bench", "SPOT-CHAOS.md");
        IReadOnlyList<NodeGroupShape>? fleet = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--interruptions":
                    options = options with { Interruptions = int.Parse(args[i + 1], CultureInfo.InvariantCulture) };
                    break;
                case "--hours":
                    options = options with { Span = TimeSpan.FromHours(double.Parse(args[i + 1], CultureInfo.InvariantCulture)) };
                    break;
                case "--seed":
                    options = options with { Seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture) };
                    break;
                case "--out":
                    output = args[i + 1];
                    break;
                case "--fleet":
                    // The fleet an EKS blueprint plans (its Spot pools are interrupted; its autoscaler replaces nodes).
                    var file = args[i + 1];
                    var (blueprint, issues) = Doris.Eks.Blueprints.BlueprintReader.Read(Doris.Kubernetes.Serialization.YamlReader.Read(File.ReadAllText(file), file).Single(), Doris.Eks.Instances.InstanceCatalog.Default);
                    if (blueprint is null)
                    {
                        await Console.Error.WriteLineAsync($"--fleet {file}: {string.Join("; ", issues)}");
                        return 2;
                    }

                    fleet = PlannedFleet.From(blueprint, Doris.Eks.Planning.EksPlanner.Plan(blueprint, Doris.Eks.Instances.InstanceCatalog.Default));
                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown option {args[i]}; use --interruptions N, --hours H, --seed S, --fleet BLUEPRINT, --out FILE");
                    return 2;
            }
        }

        var clock = new SimulatedClock();
        await using var env = await SandboxEnvironment.StartAsync(new SandboxOptions { Time = clock, Tls = false, Nodes = NodeShape.DefaultFleet(), Fleet = fleet }, default);
        env.StartOperator();
        var result = await SpotScenario.RunAsync(env, new SimulatedDriver(env, clock) { SkipQuietSteps = true }, options, line => Console.WriteLine(line), default);
        Console.WriteLine(result.Summary());
        var machine = $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}";
        var text = "# Spot chaos results\n\n" +
                   $"Command (from the repository root):\n\n```bash\ndotnet run -c Release --project bench/Doris.Bench -- spot-chaos{(args.Length > 0 ? " " + string.Join(' ', args) : string.Empty)}\n```\n\n" +
                   "The same run is the test `SpotChaosTests` (which asserts the invariants and that every drain beats the notice).\n" +
                   "Drain times on simulated time count from the taint's own timeAdded (when the notice came, not when the operator\n" +
                   "noticed) and are bounded below by one step (250 ms), since simulated time stands still while the operator works;\n" +
                   "the operator's wall time from its first sight of the signal to the CN's pod being deleted is the reaction time a\n" +
                   "real cluster would see, plus the API server's and FE's latency. The wait in the work queue before that first\n" +
                   "sight is measured under load in DRAIN-UNDER-LOAD.md.\n\n" +
                   result.Markdown(options, machine);
        await File.WriteAllTextAsync(output, text);
        Console.WriteLine($"wrote {output}");
        return result.Completed && result.Missed == 0 ? 0 : 1;
    }
}
