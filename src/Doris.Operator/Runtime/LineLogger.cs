using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Doris.Operator.Runtime;

/// <summary>How <see cref="LineLoggerProvider"/> writes a line.</summary>
public enum LineLogFormat
{
    /// <summary>One JSON object per line with the fields Microsoft's JSON console formatter writes, which log collectors already parse.</summary>
    Json,

    /// <summary>One line of text as Microsoft's simple console formatter writes it with SingleLine (no colours).</summary>
    Text,
}

/// <summary>
/// The operator's log sink: each entry is one line on a writer, written on the caller's thread. It replaces
/// Microsoft.Extensions.Logging.Console, whose set-up (dependency injection, options, configuration binding, a queue
/// thread; eight assemblies) cost about 35 ms of a ReadyToRun start and 25 ms of a native one on a 2-core VM
/// (bench/RESULTS.md, start-up). The lines are the same as that formatter's (tests compare them with it), so log
/// pipelines see no change. Writing on the caller's thread is fine at the operator's volume (a few lines per
/// reconcile at Debug); a line is one Write call, so lines from concurrent reconciles never interleave.
/// </summary>
public sealed class LineLoggerProvider(TextWriter output, LineLogFormat format, TimeProvider time) : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly LineLogFormat _format = format;
    private readonly TimeProvider _time = time;

    /// <summary>A logger factory with this sink alone and a least severe level, without dependency injection.</summary>
    public static ILoggerFactory CreateFactory(TextWriter output, LineLogFormat format, LogLevel minimum, TimeProvider time) =>
        new LoggerFactory([new LineLoggerProvider(output, format, time)], new LoggerFilterOptions { MinLevel = minimum });

    public ILogger CreateLogger(string categoryName) => new LineLogger(this, categoryName);

    public void Dispose()
    {
        lock (_gate)
        {
            output.Flush();
        }
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            output.Write(line);
            output.Flush();
        }
    }

    private sealed class LineLogger(LineLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            provider.Write(provider._format == LineLogFormat.Json
                ? LogLines.Json(provider._time.GetUtcNow(), logLevel, category, eventId.Id, message, exception, state)
                : LogLines.Text(logLevel, category, eventId.Id, message, exception));
        }
    }
}

/// <summary>The text of one log line in each format (pure, for tests).</summary>
public static class LogLines
{
    public static string Json(DateTimeOffset now, LogLevel level, string category, int eventId, string message, Exception? exception, object? state)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("Timestamp", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            writer.WriteNumber("EventId", eventId);
            writer.WriteString("LogLevel", level.ToString());
            writer.WriteString("Category", category);
            writer.WriteString("Message", message);
            if (exception is not null)
            {
                writer.WriteString("Exception", exception.ToString());
            }

            if (state is not null)
            {
                // Any state gets the object (empty unless it is the template's name-value list), as Microsoft's does.
                writer.WriteStartObject("State");
                foreach (var (key, value) in state as IReadOnlyList<KeyValuePair<string, object?>> ?? [])
                {
                    WriteValue(writer, key, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + Environment.NewLine;
    }

    public static string Text(LogLevel level, string category, int eventId, string message, Exception? exception)
    {
        var line = new StringBuilder(64 + message.Length);
        line.Append(Abbreviation(level)).Append(": ").Append(category).Append('[').Append(eventId.ToString(CultureInfo.InvariantCulture)).Append(']');
        foreach (var part in new[] { message, exception?.ToString() })
        {
            if (!string.IsNullOrEmpty(part))
            {
                line.Append(' ').Append(part.Replace(Environment.NewLine, " ", StringComparison.Ordinal));
            }
        }

        return line.Append(Environment.NewLine).ToString();
    }

    private static string Abbreviation(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => level.ToString(),
    };

    // Numbers and booleans stay JSON numbers and booleans, as Microsoft's formatter writes them; anything else is its
    // invariant-culture text. A NaN or infinity (no JSON number; Microsoft's formatter throws) is written as text.
    private static void WriteValue(Utf8JsonWriter writer, string key, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNull(key); break;
            case bool b: writer.WriteBoolean(key, b); break;
            case byte n: writer.WriteNumber(key, n); break;
            case sbyte n: writer.WriteNumber(key, n); break;
            case char c: writer.WriteString(key, c.ToString()); break;
            case decimal n: writer.WriteNumber(key, n); break;
            case double n when double.IsFinite(n): writer.WriteNumber(key, n); break;
            case float n when float.IsFinite(n): writer.WriteNumber(key, n); break;
            case int n: writer.WriteNumber(key, n); break;
            case uint n: writer.WriteNumber(key, n); break;
            case long n: writer.WriteNumber(key, n); break;
            case ulong n: writer.WriteNumber(key, n); break;
            case short n: writer.WriteNumber(key, n); break;
            case ushort n: writer.WriteNumber(key, n); break;
            default: writer.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
