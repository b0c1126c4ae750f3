using System.CommandLine;
using System.Globalization;

namespace Doris.Cli.Input;

/// <summary>
/// Durations as every Kubernetes tool takes them (Go's <c>time.ParseDuration</c>: <c>90s</c>, <c>5m</c>,
/// <c>1h30m</c>, <c>1.5h</c>, <c>250ms</c>), so flags copied from kubectl or a Helm chart work here. The .NET form
/// (<c>00:05:00</c>) is still read, since earlier releases documented it. Negative durations are refused: no flag
/// of ours means anything by them.
/// </summary>
internal static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
        }

        if (text.StartsWith('+'))
        {
            text = text[1..];
        }

        if (text == "0")
        {
            return true;
        }

        double ticks = 0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unit = Units.Where(u => string.CompareOrdinal(text, i, u.Unit, 0, u.Unit.Length) == 0).OrderByDescending(u => u.Unit.Length).FirstOrDefault();
            if (unit.Unit is null)
            {
                return false; // Go requires a unit on every number but a lone 0
            }

            ticks += number * unit.Ticks;
            i += unit.Unit.Length;
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }

    /// <summary>A duration flag that reads Go durations and names the flag, the value and the form in its error.</summary>
    public static DurationOption Option(string name, string description, TimeSpan fallback) => new(name, description, fallback);

    /// <summary>The shortest Go form of a duration (5m0s is written 5m).</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var parts = new List<string>();
        if ((int)value.TotalHours is > 0 and var h)
        {
            parts.Add($"{h}h");
        }

        if (value.Minutes > 0)
        {
            parts.Add($"{value.Minutes}m");
        }

        var seconds = value.Seconds + (value.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond);
        if (seconds > 0)
        {
            parts.Add(seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s");
        }

        return string.Concat(parts);
    }
}

/// <summary>
/// A duration flag: unset means <see cref="Fallback"/>, shown in help in Go's form (a TimeSpan default would be
/// printed as 00:05:00 and teach the wrong form).
/// </summary>
internal sealed class DurationOption : Option<TimeSpan?>
{
    public DurationOption(string name, string description, TimeSpan fallback)
        : base(name)
    {
        Fallback = fallback;
        Description = $"{description} A Go duration such as 90s, 5m or 1h30m (default {GoDuration.Format(fallback)}).";
        HelpName = "duration";
        CustomParser = result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (GoDuration.TryParse(token, out var value))
            {
                return value;
            }

            result.AddError($"{name}: '{token}' is not a duration; write it as Go does, e.g. 90s, 5m or 1h30m (units ns, us, ms, s, m, h; no negative values)");
            return null;
        };
    }

    public TimeSpan Fallback { get; }

    public TimeSpan From(ParseResult parse) => parse.GetValue(this) ?? Fallback;
}
