using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace Doris.Bench.Profiling;

/// <summary>
/// Where a .NET process spends its CPU, without dotnet-trace (not in this machine's registries): an EventPipe
/// session over the process's diagnostics socket with the runtime's sample profiler (a stack per thread every
/// millisecond) and method rundown (names for precompiled code), written to a .nettrace file; the report counts
/// samples per method, on top of the stack (exclusive) and anywhere on it (inclusive), threads waiting excluded.
/// </summary>
internal sealed class CpuProfile : IAsyncDisposable
{
    private readonly EventPipeSession _session;
    private readonly Task _copy;

    private CpuProfile(EventPipeSession session, Task copy)
    {
        _session = session;
        _copy = copy;
    }

    /// <summary>Starts sampling process <paramref name="pid"/> into <paramref name="path"/>; disposing stops it and finishes the file.</summary>
    public static CpuProfile Start(int pid, string path)
    {
        var providers = new[]
        {
            new EventPipeProvider("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)(ClrTraceEventParser.Keywords.Jit | ClrTraceEventParser.Keywords.Loader)),
        };
        var session = new DiagnosticsClient(pid).StartEventPipeSession(providers, requestRundown: true, circularBufferMB: 256);
        var file = File.Create(path);
        var copy = Task.Run(async () =>
        {
            await using (file)
            {
                await session.EventStream.CopyToAsync(file);
            }
        });
        return new CpuProfile(session, copy);
    }

    public async ValueTask DisposeAsync()
    {
        await _session.StopAsync(CancellationToken.None);
        await _copy;
        _session.Dispose();
    }

    /// <summary>`profile PID SECONDS OUT.nettrace` samples a running process; `profile-report FILE [TOP]` prints where it went.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length >= 4 && args[0] == "profile")
        {
            await using (Start(int.Parse(args[1], CultureInfo.InvariantCulture), args[3]))
            {
                await Task.Delay(TimeSpan.FromSeconds(double.Parse(args[2], CultureInfo.InvariantCulture)));
            }

            return 0;
        }

        if (args.Length >= 2 && args[0] == "profile-report")
        {
            Console.WriteLine(Report(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40, args.Length > 3 ? args[3] : null));
            return 0;
        }

        Console.Error.WriteLine("usage: profile PID SECONDS OUT.nettrace | profile-report FILE.nettrace [TOP [METHOD]]");
        return 2;
    }

    /// <summary>
    /// Samples per method, exclusive and inclusive, the top <paramref name="top"/> of each; with <paramref name="focus"/>
    /// (part of a method name), the stacks of the samples running it, cut at Doris code, most frequent first.
    /// </summary>
    public static string Report(string nettrace, int top, string? focus = null)
    {
        var stacks = new Dictionary<string, int>(StringComparer.Ordinal);
        var etlx = TraceLog.CreateFromEventPipeDataFile(nettrace, Path.ChangeExtension(nettrace, ".etlx"));
        using var log = new TraceLog(etlx);
        var exclusive = new Dictionary<string, int>(StringComparer.Ordinal);
        var inclusive = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        foreach (var e in log.Events)
        {
            if (e.ProviderName != "Microsoft-DotNETCore-SampleProfiler" || e.CallStack() is not { } stack)
            {
                continue;
            }

            // The sample profiler's payload is one 32-bit kind: 2 for a thread in managed code, 1 for one outside it
            // (blocked in a wait, a socket poll, native code); only running managed code counts.
            var data = e.EventData();
            if (data.Length >= 4 && BitConverter.ToInt32(data, 0) != 2)
            {
                continue;
            }

            total++;
            if (focus is not null)
            {
                var path = new List<string>();
                var hit = false;
                for (var frame = stack; frame is not null && path.Count < 12; frame = frame.Caller)
                {
                    var name = frame.CodeAddress.FullMethodName ?? "?";
                    hit |= name.Contains(focus, StringComparison.Ordinal);
                    if (hit)
                    {
                        path.Add(name.Length > 140 ? name[..140] : name);
                        if (name.StartsWith("Doris.", StringComparison.Ordinal) && path.Count > 1)
                        {
                            break;
                        }
                    }
                }

                if (hit)
                {
                    var key = string.Join("\n      <- ", path);
                    stacks[key] = stacks.GetValueOrDefault(key) + 1;
                }
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var first = true;
            for (var frame = stack; frame is not null; frame = frame.Caller)
            {
                var name = frame.CodeAddress.FullMethodName;
                if (string.IsNullOrEmpty(name))
                {
                    name = $"?{frame.CodeAddress.ModuleName}";
                }

                if (first)
                {
                    exclusive[name] = exclusive.GetValueOrDefault(name) + 1;
                    first = false;
                }

                if (seen.Add(name))
                {
                    inclusive[name] = inclusive.GetValueOrDefault(name) + 1;
                }
            }
        }

        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{total} samples of running managed threads\n\nexclusive:\n");
        foreach (var (name, n) in exclusive.OrderByDescending(kv => kv.Value).Take(top))
        {
            text.Append(CultureInfo.InvariantCulture, $"{100.0 * n / Math.Max(1, total),6:0.0}%  {name}\n");
        }

        text.Append("\ninclusive:\n");
        foreach (var (name, n) in inclusive.OrderByDescending(kv => kv.Value).Take(top))
        {
            text.Append(CultureInfo.InvariantCulture, $"{100.0 * n / Math.Max(1, total),6:0.0}%  {name}\n");
        }

        foreach (var (path, n) in stacks.OrderByDescending(kv => kv.Value).Take(top))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{100.0 * n / Math.Max(1, total),6:0.0}%  {path}\n");
        }

        return text.ToString();
    }
}
