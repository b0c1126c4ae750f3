using System.Globalization;
using System.Text;

namespace Doris.Operator.Runtime;

/// <summary>A Prometheus histogram of durations in seconds (cumulative buckets, sum and count), safe for concurrent use.</summary>
public sealed class DurationHistogram
{
    private static readonly double[] DefaultBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly double[] _bounds;
    private readonly long[] _buckets;
    private readonly Lock _gate = new();
    private long _count;
    private double _sum;

    public DurationHistogram(double[]? bounds = null)
    {
        _bounds = bounds ?? DefaultBounds;
        _buckets = new long[_bounds.Length];
    }

    public void Observe(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        lock (_gate)
        {
            for (var i = 0; i < _bounds.Length; i++)
            {
                if (seconds <= _bounds[i])
                {
                    _buckets[i]++;
                }
            }

            _count++;
            _sum += seconds;
        }
    }

    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public void Render(StringBuilder text, string name, string help)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" histogram\n");
            for (var i = 0; i < _bounds.Length; i++)
            {
                text.Append(name).Append("_bucket{le=\"").Append(_bounds[i].ToString(CultureInfo.InvariantCulture)).Append("\"} ").Append(_buckets[i]).Append('\n');
            }

            text.Append(name).Append("_bucket{le=\"+Inf\"} ").Append(_count).Append('\n');
            text.Append(name).Append("_sum ").Append(_sum.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append(name).Append("_count ").Append(_count).Append('\n');
        }
    }
}
