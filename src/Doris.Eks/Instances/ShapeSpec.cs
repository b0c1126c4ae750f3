using System.Globalization;
using System.Text.RegularExpressions;

namespace Doris.Eks.Instances;

/// <summary>
/// A node-pool spec: exact (<c>8c64g</c>: 8 vCPU, 64 GiB, every type must match) or a size class
/// (<c>small|medium|large</c>: at least 2c4g, 4c8g, 8c16g, compute-optimised ratio, the smallest shape that fits is used).
/// </summary>
public sealed partial record ShapeSpec(string Text, int Vcpu, int MemoryGib, bool Exact)
{
    public int MemoryMib => MemoryGib * 1024;

    public static bool TryParse(string? text, out ShapeSpec? spec)
    {
        spec = text switch
        {
            "small" => new ShapeSpec(text, 2, 4, false),
            "medium" => new ShapeSpec(text, 4, 8, false),
            "large" => new ShapeSpec(text, 8, 16, false),
            _ => null,
        };
        if (spec is null && text is not null && ExactPattern().Match(text) is { Success: true } m)
        {
            spec = new ShapeSpec(text, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), true);
        }

        return spec is { Vcpu: > 0, MemoryGib: > 0 };
    }

    [GeneratedRegex("^([0-9]{1,3})c([0-9]{1,4})g$")]
    private static partial Regex ExactPattern();
}
