using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Doris.Kubernetes.Models;

/// <summary>
/// A Kubernetes resource quantity (<c>500m</c>, <c>16Gi</c>, <c>1e3</c>). Kept as the text the user wrote,
/// because rewriting <c>8000m</c> as <c>8</c> would make our objects differ from what users and
/// other tools compare against; <see cref="TryParse"/> gives the numeric value when it is needed.
/// </summary>
[JsonConverter(typeof(QuantityConverter))]
public sealed record Quantity(string Value)
{
    public static implicit operator Quantity(string value) => new(value);

    public override string ToString() => Value;

    private static readonly (int Exponent, string Suffix)[] DecimalSuffixes = [(18, "E"), (15, "P"), (12, "T"), (9, "G"), (6, "M"), (3, "k"), (0, string.Empty), (-3, "m"), (-6, "u"), (-9, "n")];

    private static readonly (int Power, string Suffix)[] BinarySuffixes = [(60, "Ei"), (50, "Pi"), (40, "Ti"), (30, "Gi"), (20, "Mi"), (10, "Ki"), (0, string.Empty)];

    /// <summary>
    /// The form Kubernetes prints a quantity in (resource.Quantity.String()): no fraction, the largest suffix that
    /// keeps the number whole ("2000m" is "2", "0.5" is "500m", "1024Mi" is "1Gi"), precision to the nano unit
    /// rounded up. The text is returned unchanged when it does not parse.
    /// </summary>
    public string Canonical()
    {
        if (!TryParse(Value, out var value))
        {
            return Value;
        }

        if (value == 0)
        {
            return "0";
        }

        var binary = Value.EndsWith('i') && value == decimal.Truncate(value);
        if (binary)
        {
            foreach (var (power, suffix) in BinarySuffixes)
            {
                var unit = (decimal)Math.Pow(2, power);
                if (value % unit == 0)
                {
                    return (value / unit).ToString(CultureInfo.InvariantCulture) + suffix;
                }
            }
        }

        // Written with an exponent ("1e3"), Kubernetes keeps that notation ("1e3", "15e2" becomes "1500").
        var exponential = Value.AsSpan().IndexOfAny('e', 'E') > 0;
        var nanos = decimal.Ceiling(value * 1_000_000_000m);
        foreach (var (exponent, suffix) in DecimalSuffixes)
        {
            var unit = Pow10(exponent + 9);
            if (nanos % unit == 0)
            {
                var mantissa = (nanos / unit).ToString(CultureInfo.InvariantCulture);
                return !exponential ? mantissa + suffix : exponent == 0 ? mantissa : $"{mantissa}e{exponent}";
            }
        }

        return Value;
    }

    private static decimal Pow10(int n)
    {
        var result = 1m;
        for (var i = 0; i < n; i++)
        {
            result *= 10;
        }

        return result;
    }

    /// <summary>Parses the Kubernetes quantity grammar: signed decimal number, then a binary (Ki..Ei), decimal (n..E) or exponent suffix.</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var i = 0;
        if (text[0] is '+' or '-')
        {
            i++;
        }

        var numberStart = i;
        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            digits++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0 || !decimal.TryParse(text.AsSpan(numberStart, i - numberStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        if (text[0] == '-')
        {
            number = -number;
        }

        var suffix = text[i..];
        decimal? multiplier = suffix switch
        {
            "" => 1m,
            "n" => 1e-9m,
            "u" => 1e-6m,
            "m" => 1e-3m,
            "k" => 1e3m,
            "M" => 1e6m,
            "G" => 1e9m,
            "T" => 1e12m,
            "P" => 1e15m,
            "E" => 1e18m,
            "Ki" => 1024m,
            "Mi" => 1024m * 1024,
            "Gi" => 1024m * 1024 * 1024,
            "Ti" => 1024m * 1024 * 1024 * 1024,
            "Pi" => 1024m * 1024 * 1024 * 1024 * 1024,
            "Ei" => 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
            _ => ExponentMultiplier(suffix),
        };
        if (multiplier is null)
        {
            return false;
        }

        try
        {
            value = number * multiplier.Value;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static decimal? ExponentMultiplier(string suffix)
    {
        if (suffix.Length < 2 || suffix[0] is not ('e' or 'E'))
        {
            return null;
        }

        if (!int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) || exponent is < -18 or > 18)
        {
            return null;
        }

        var result = 1m;
        for (var k = 0; k < Math.Abs(exponent); k++)
        {
            result = exponent > 0 ? result * 10 : result / 10;
        }

        return result;
    }
}

/// <summary>Accepts a quantity written as a JSON string or a bare number (YAML <c>cpu: 6</c>) and always writes a string.</summary>
public sealed class QuantityConverter : JsonConverter<Quantity>
{
    public override Quantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => new Quantity(reader.GetString()!),
            JsonTokenType.Number => new Quantity(System.Text.Encoding.UTF8.GetString(reader.ValueSpan)),
            _ => throw new JsonException("expected a quantity such as \"500m\" or \"16Gi\""),
        };

    public override void Write(Utf8JsonWriter writer, Quantity value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
