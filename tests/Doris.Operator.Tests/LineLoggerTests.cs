using System.Text.RegularExpressions;
using Doris.Operator.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Doris.Operator.Tests;

/// <summary>
/// The operator's log lines against the real peer: Microsoft's own JSON and simple console formatters (the sink the
/// operator used before), fed the very same log calls. Log pipelines parse those lines, so they must not change.
/// </summary>
public sealed partial class LineLoggerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 7, 5, 9, 42, TimeSpan.Zero);

    [Fact]
    public void Json_SameCallsAsMicrosoftsFormatter_SameLinesButTheTimestamp()
    {
        var (ours, peer) = Log(LineLogFormat.Json, ConsoleFormatterNames.Json);

        ours.Length.ShouldBe(Calls);
        for (var i = 0; i < ours.Length; i++)
        {
            WithoutTimestamp(ours[i]).ShouldBe(WithoutTimestamp(peer[i]), $"line {i}");
        }

        ours.ShouldAllBe(line => line.StartsWith("{\"Timestamp\":\"2026-12-02T07:05:09.042Z\",", StringComparison.Ordinal));
    }

    [Fact]
    public void Text_SameCallsAsMicrosoftsSingleLineFormatter_SameLines()
    {
        var (ours, peer) = Log(LineLogFormat.Text, ConsoleFormatterNames.Simple);

        ours.Length.ShouldBe(Calls);
        ours.ShouldBe(peer);
    }

    [Fact]
    public void Json_NotANumber_WrittenAsTextInsteadOfThrowing()
    {
        var output = new StringWriter();
        using (var factory = LineLoggerProvider.CreateFactory(output, LineLogFormat.Json, LogLevel.Information, new FixedClock()))
        {
            factory.CreateLogger("c").LogInformation("ratio {Ratio}", double.NaN);
        }

        output.ToString().ShouldContain("\"State\":{\"Ratio\":\"NaN\"");
    }

    [Fact]
    public void Factory_BelowMinimumLevel_NothingWritten()
    {
        var output = new StringWriter();
        using (var factory = LineLoggerProvider.CreateFactory(output, LineLogFormat.Text, LogLevel.Warning, new FixedClock()))
        {
            var logger = factory.CreateLogger("c");
            logger.LogInformation("quiet");
            logger.LogWarning("loud");
        }

        output.ToString().ShouldBe("warn: c[0] loud" + Environment.NewLine);
    }

    [Fact]
    public async Task Log_ManyThreadsAtOnce_EveryLineWhole()
    {
        var output = new StringWriter();
        using (var factory = LineLoggerProvider.CreateFactory(output, LineLogFormat.Json, LogLevel.Information, new FixedClock()))
        {
            var logger = factory.CreateLogger("c");
            await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < 200; i++)
                {
                    logger.LogInformation("thread {Thread} line {Line}", t, i);
                }
            })));
        }

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1600);
        lines.ShouldAllBe(line => System.Text.Json.Nodes.JsonNode.Parse(line, null, default) != null);
    }

    private const int Calls = 10;

    // Every shape the operator logs and some it might: templates with each value type the formatter treats apart,
    // characters JSON escapes, an exception with a line break, named and numbered event ids, a plain string state.
    private static void Calls10(ILogger logger)
    {
        logger.LogInformation("elected leader as {Identity}; watching {Namespace}", "vm-1", "all namespaces");
        logger.LogWarning(new InvalidOperationException("boom\nsecond line"), "reconcile of {Cluster} failed, retrying with back-off: {Error}", "ns/c", "quote \" and <tag> & 'apostrophe'");
        logger.LogDebug("{Int} {Long} {Double} {Bool} {Char} {Null} {Decimal} {Float} {Uri} {Short} {Byte}", 42, 7L, 1.5, true, 'x', null, 2.5m, 0.25f, new Uri("http://a/b"), (short)3, (byte)4);
        logger.LogInformation("non-ASCII: é, 中文, tab\tand a\nnewline");
        logger.LogError(new EventId(17, "Named"), "with an event id");
        logger.LogCritical("critical {Count}", 1);
        logger.LogTrace("trace {Milliseconds}", (long?)null);
        logger.LogInformation("caches synced {Milliseconds} ms after the process started ({Methods} methods compiled at run time); reconciling", (long?)450L, 1255L);
        logger.Log(LogLevel.Information, new EventId(3), "a plain string state", null, (s, _) => s);
        logger.LogInformation("plain");
    }

    private static (string[] Ours, string[] Peer) Log(LineLogFormat format, string peerFormatterName)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b
            .AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            })
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            }));
        using var provider = services.BuildServiceProvider();
        var formatter = provider.GetServices<ConsoleFormatter>().Single(f => f.Name == peerFormatterName);

        var ours = new StringWriter();
        var peer = new StringWriter();
        using (var factory = new LoggerFactory([new LineLoggerProvider(ours, format, new FixedClock()), new PeerProvider(formatter, peer)], new LoggerFilterOptions { MinLevel = LogLevel.Trace }))
        {
            Calls10(factory.CreateLogger("dorisctl.operator"));
        }

        return (Lines(ours), Lines(peer));
    }

    private static string[] Lines(StringWriter writer) => writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    private static string WithoutTimestamp(string line) => TimestampField().Replace(line, string.Empty);

    [GeneratedRegex("\"Timestamp\":\"[^\"]*\",")]
    private static partial Regex TimestampField();

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class PeerProvider(ConsoleFormatter formatter, TextWriter output) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new PeerLogger(formatter, output, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class PeerLogger(ConsoleFormatter formatter, TextWriter output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => NullScope.Instance;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter1) =>
            formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter1), null, output);
    }

    private sealed class NullScope : IDisposable
    {
        public static readonly NullScope Instance = new();

        public void Dispose()
        {
        }
    }
}
