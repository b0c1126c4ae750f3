using System.Globalization;

namespace Doris.Operator.Runtime;

/// <summary>
/// How long ago this process started, for the start-up line in the log. On Linux from the kernel's own counters
/// (the process's start in clock ticks since boot, against /proc/uptime): both are on the boot clock, where
/// <see cref="System.Diagnostics.Process.StartTime"/> converts to wall time through a boot time that drifts in a VM
/// (measured: 270 ms off on a Firecracker guest). Null where /proc is not there or not readable.
/// </summary>
public static class ProcessAge
{
    // USER_HZ: 100 on every architecture Linux ships with (the kernel's ABI), so no sysconf call is needed.
    private const double TicksPerSecond = 100;

    public static TimeSpan? Now()
    {
        try
        {
            return Parse(File.ReadAllText("/proc/self/stat"), File.ReadAllText("/proc/uptime"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The age from the text of /proc/self/stat and /proc/uptime; null when either is not as expected.</summary>
    public static TimeSpan? Parse(string stat, string uptime)
    {
        // The command name (field 2) is in parentheses and may hold spaces or ')': fields are counted after the last ')'.
        var close = stat.LastIndexOf(')');
        var fields = close < 0 ? [] : stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var up = uptime.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // After the ')' the first field is field 3 (state); starttime is field 22.
        if (fields.Length < 20 || up.Length < 1
            || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var startTicks)
            || !double.TryParse(up[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var upSeconds))
        {
            return null;
        }

        var age = upSeconds - (startTicks / TicksPerSecond);
        return age >= 0 ? TimeSpan.FromSeconds(age) : null;
    }
}
