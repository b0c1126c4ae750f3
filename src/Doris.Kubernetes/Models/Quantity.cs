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
