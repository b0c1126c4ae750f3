using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Doris.Kubernetes.Models;

/// <summary>A value that is either an integer (a port number) or a string (a port name, a percentage).</summary>
[JsonConverter(typeof(IntOrStringConverter))]
public sealed record IntOrString
{
    private IntOrString(int? number, string? text)
    {
        Number = number;
        Text = text;
    }

    public int? Number { get; }

    public string? Text { get; }

    public static IntOrString FromInt(int value) => new(value, null);

    public static IntOrString FromString(string value) => new(null, value);

    public static implicit operator IntOrString(int value) => FromInt(value);

    public static implicit operator IntOrString(string value) => FromString(value);

    public override string ToString() => Number?.ToString(CultureInfo.InvariantCulture) ?? Text ?? string.Empty;
}

/// <summary>Reads and writes <see cref="IntOrString"/> as the bare JSON number or string.</summary>
public sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt32(out var n) => IntOrString.FromInt(n),
            JsonTokenType.String => IntOrString.FromString(reader.GetString()!),
            _ => throw new JsonException("expected an integer or a string"),
        };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.Number is { } n)
        {
            writer.WriteNumberValue(n);
        }
        else
        {
            writer.WriteStringValue(value.Text);
        }
    }
}
