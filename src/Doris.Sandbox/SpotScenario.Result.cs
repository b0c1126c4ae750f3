using System.Globalization;
using System.Text;
using Doris.Operator.Nodes;

namespace Doris.Sandbox;

public static partial class SpotScenario
{
    /// <summary>What a chaos run did and how the CN drains went against the two-minute notice.</summary>
    public sealed record Result(
        bool Completed,
        string? Violation,
        int Interruptions,
        int Rebalances,
        int CapacityShortages,
        int CnPodsHit,
        IReadOnlyList<DrainRecord> Drains,
        TimeSpan Simulated,
        TimeSpan Wall,
        long InvariantChecks,
        long Steps)
    {
        public IReadOnlyList<DrainRecord> SpotDrains => [.. Drains.Where(d => d.Budget is not null)];

        public int WithinNotice => SpotDrains.Count(d => d.InBudget);

        /// <summary>CN pods still running on a node when EC2 took it (counted by the simulation, not the operator).</summary>
        public int MissedAtKill { get; init; }

        public int Missed => MissedAtKill;

        public TimeSpan Median => Percentile(0.5);

        public TimeSpan Worst => Drains.Count == 0 ? TimeSpan.Zero : Drains.Max(d => d.Took);

        public TimeSpan WallMedian => Percentile(0.5, wall: true);

        public TimeSpan WallWorst => Drains.Count == 0 ? TimeSpan.Zero : Drains.Max(d => d.Wall);

        public TimeSpan Percentile(double p, bool wall = false)
        {
            var sorted = Drains.Where(d => d.Finished).Select(d => wall ? d.Wall : d.Took).Order().ToList();
            return sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        }

        /// <summary>What the Spot members are called: CNs, or compute-group members.</summary>
        public string Members { get; init; } = "CN";

        public string Summary() => string.Create(CultureInfo.InvariantCulture,
            $"{Interruptions} Spot interruptions ({Rebalances} announced by a rebalance recommendation, {CapacityShortages} replacement launches short of capacity) over {Simulated.TotalHours:0.0} simulated hours; " +
            $"{CnPodsHit} {Members} pods on interrupted nodes; {Drains.Count} {Members} drains, {WithinNotice}/{SpotDrains.Count} under a Spot notice finished within it, {Missed} missed; " +
            $"drain time (simulated, 250 ms steps) median {Median.TotalSeconds:0.00}s, worst {Worst.TotalSeconds:0.00}s; operator wall time median {WallMedian.TotalMilliseconds:0} ms, worst {WallWorst.TotalMilliseconds:0} ms; invariants checked after {InvariantChecks} steps");

        /// <summary>The results file section for bench/.</summary>
        public string Markdown(Options options, string machine)
        {
            ArgumentNullException.ThrowIfNull(options);
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"## Spot chaos: {Interruptions} interruptions over {Simulated.TotalHours:0.0} simulated hours (seed {options.Seed})\n\n");
            text.Append(CultureInfo.InvariantCulture, $"Machine: {machine}. Wall time {Wall.TotalMinutes:0.0} min for {Steps} simulated steps.\n\n");
            text.Append("| Figure | Value |\n|---|---|\n");
            void Row(string k, string v) => text.Append("| ").Append(k).Append(" | ").Append(v).Append(" |\n");
            Row("Invariants (FE quorum, every tablet with a live replica)", Completed ? $"held after every one of {InvariantChecks} steps" : $"VIOLATED: {Violation}");
            Row("Spot interruptions", Interruptions.ToString(CultureInfo.InvariantCulture));
            Row("...announced first by a rebalance recommendation", Rebalances.ToString(CultureInfo.InvariantCulture));
            Row("Replacement launches short of Spot capacity (retried)", CapacityShortages.ToString(CultureInfo.InvariantCulture));
            Row("CN pods on interrupted nodes", CnPodsHit.ToString(CultureInfo.InvariantCulture));
            Row("CN drains (decommission, drop, pod deleted)", Drains.Count.ToString(CultureInfo.InvariantCulture));
            Row("Drains under a Spot notice finished within it", $"{WithinNotice} of {SpotDrains.Count}");
            Row("Drains missed (node gone first)", Missed.ToString(CultureInfo.InvariantCulture));
            Row("Drain time on simulated time (resolution: one 250 ms step), median", $"{Median.TotalSeconds:0.00} s");
            Row("...p95", $"{Percentile(0.95).TotalSeconds:0.00} s");
            Row("...worst", $"{Worst.TotalSeconds:0.00} s (budget 120 s)");
            Row("Operator wall time from signal to pod deleted, median", $"{WallMedian.TotalMilliseconds:0} ms");
            Row("...p95", $"{Percentile(0.95, wall: true).TotalMilliseconds:0} ms");
            Row("...worst", $"{WallWorst.TotalMilliseconds:0} ms");
            return text.ToString();
        }
    }
}
