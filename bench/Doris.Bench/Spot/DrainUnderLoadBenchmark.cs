using System.Globalization;
using Doris.Sandbox;

namespace Doris.Bench.Spot;

/// <summary>
/// <c>drain-under-load [--runs N] [--clusters C] [--out FILE]</c>: signal to CN drain with C new clusters created
/// just before a Spot interruption notice, with the urgent lane and without it (plain first-in first-out),
/// interleaved run by run so both see the same machine. Writes bench/DRAIN-UNDER-LOAD.md by default.
/// </summary>
internal static class DrainUnderLoadBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = 5;
        var clusters = 200;
        var output = Path.Combine("bench", "DRAIN-UNDER-LOAD.md");
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--clusters": clusters = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--out": output = args[i + 1]; break;
                default:
                    await Console.Error.WriteLineAsync($"unknown option {args[i]}; use --runs N, --clusters C, --out FILE");
                    return 2;
            }
        }

        var lane = new List<DrainUnderLoad.Outcome>();
        var fifo = new List<DrainUnderLoad.Outcome>();
        for (var run = 1; run <= runs; run++)
        {
            foreach (var (withLane, into) in new[] { (true, lane), (false, fifo) })
            {
                var outcome = await DrainUnderLoad.RunAsync(withLane, clusters);
                into.Add(outcome);
                Console.WriteLine($"run {run} {(withLane ? "urgent lane" : "first-in first-out")}: signal to drain {outcome.SignalToDrain.TotalMilliseconds:0} ms, {outcome.QueuedAtSignal} keys queued at the signal, {outcome.ReconcilesBetween} reconciles in between");
            }
        }

        var machine = $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}";
        var text = "# Drain under load\n\n" +
                   "Command (from the repository root):\n\n```bash\ndotnet run -c Release --project bench/Doris.Bench -- drain-under-load\n```\n\n" +
                   $"The Spot scenario's cluster (3 FE, 3 BE, 2 CN on Spot) is Ready; {clusters} new DorisClusters are created at once (8 at a time); right after\n" +
                   "the last one a Spot interruption notice taints a node that runs a CN. Measured on the machine's clock from the taint to the\n" +
                   "reconcile that starts the CN's drain (simulated time stands still, so only the operator's queue is measured). The two\n" +
                   "modes run interleaved in one process. The test `DrainUnderLoadTests` guards the lane with a count, not a time.\n\n" +
                   $"Machine: {machine}.\n\n" +
                   "| Mode | Runs | Signal to drain, median | Worst | Keys queued at the signal (median) | Reconciles before the drain (median) |\n|---|---|---|---|---|---|\n" +
                   Row("urgent lane (default)", lane) + Row("first-in first-out (`PriorityLane = false`)", fifo) +
                   "\nPer run (ms), urgent lane: " + string.Join(", ", lane.Select(o => o.SignalToDrain.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture))) +
                   "; first-in first-out: " + string.Join(", ", fifo.Select(o => o.SignalToDrain.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture))) + ".\n";
        await File.WriteAllTextAsync(output, text);
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    private static string Row(string mode, List<DrainUnderLoad.Outcome> outcomes)
    {
        var ms = outcomes.Select(o => o.SignalToDrain.TotalMilliseconds).Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"| {mode} | {outcomes.Count} | {ms[ms.Count / 2]:0} ms | {ms[^1]:0} ms | {Median(outcomes.Select(o => (double)o.QueuedAtSignal)):0} | {Median(outcomes.Select(o => (double)o.ReconcilesBetween)):0} |\n");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
