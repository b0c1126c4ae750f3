using System.Globalization;
using System.Text;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Doris.Bench.Profiling;

/// <summary>
/// Which methods a ReadyToRun process still compiled at run time, and how long each took: read from a .nettrace the
/// runtime wrote from its first instruction (DOTNET_EnableEventPipe with the JIT keyword; see bench/operator-start.sh
/// --jit-trace). Precompiled code that the runtime could not use (a generic over types from two version bubbles, a
/// method the precompiler refused) shows up here, grouped by namespace so the cause is visible.
/// </summary>
internal static class JitReport
{
    /// <summary>`jit-report FILE.nettrace [TOP] [MS]` prints namespaces and methods by compile time, up to MS after the first event.</summary>
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: jit-report FILE.nettrace [TOP [UNTIL_MS]]");
            return 2;
        }

        var top = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40;
        var until = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : double.MaxValue;
        Console.WriteLine(Report(args[1], top, until));
        return 0;
    }

    private sealed record Compile(string Namespace, string Name, string Tier, double StartMs, double Ms, int Thread);

    public static string Report(string nettrace, int top, double untilMs)
    {
        var started = new Dictionary<long, (MethodJittingStartedTraceData Data, double At)>();
        var compiles = new List<Compile>();
        using (var source = new EventPipeEventSource(nettrace))
        {
            source.Clr.MethodJittingStarted += e => started[e.MethodID] = ((MethodJittingStartedTraceData)e.Clone(), e.TimeStampRelativeMSec);
            source.Clr.MethodLoadVerbose += e =>
            {
                if (!started.Remove(e.MethodID, out var begin))
                {
                    return; // rundown of precompiled code, not a compile
                }

                compiles.Add(new Compile(e.MethodNamespace, e.MethodName, e.OptimizationTier.ToString(), begin.At,
                    e.TimeStampRelativeMSec - begin.At, e.ThreadID));
            };
            source.Process();
        }

        var first = compiles.Count == 0 ? 0 : compiles.Min(c => c.StartMs);
        var window = compiles.Where(c => c.StartMs - first <= untilMs).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{window.Count} methods compiled, {window.Sum(c => c.Ms):0} ms of compiling, on {window.Select(c => c.Thread).Distinct().Count()} threads\n\nby tier:\n");
        foreach (var g in window.GroupBy(c => c.Tier).OrderByDescending(g => g.Sum(c => c.Ms)))
        {
            text.Append(CultureInfo.InvariantCulture, $"{g.Count(),6} {g.Sum(c => c.Ms),8:0.0} ms  {g.Key}\n");
        }

        text.Append("\nby namespace (count, ms):\n");
        foreach (var g in window.GroupBy(c => Namespace(c.Namespace)).OrderByDescending(g => g.Sum(c => c.Ms)).Take(top))
        {
            text.Append(CultureInfo.InvariantCulture, $"{g.Count(),6} {g.Sum(c => c.Ms),8:0.0} ms  {g.Key}\n");
        }

        text.Append("\nslowest methods:\n");
        foreach (var c in window.OrderByDescending(c => c.Ms).Take(top))
        {
            var name = $"{c.Namespace}::{c.Name}";
            text.Append(CultureInfo.InvariantCulture, $"{c.Ms,8:0.00} ms @{c.StartMs - first,6:0} {c.Tier,-14} {(name.Length > 160 ? name[..160] : name)}\n");
        }

        return text.ToString();
    }

    // The type's namespace without generic arguments: "System.Collections.Generic.Dictionary`2[...]" -> "System.Collections.Generic".
    private static string Namespace(string typeName)
    {
        var bracket = typeName.IndexOf('[', StringComparison.Ordinal);
        var plain = bracket < 0 ? typeName : typeName[..bracket];
        var dot = plain.LastIndexOf('.');
        return dot < 0 ? plain : plain[..dot];
    }
}
