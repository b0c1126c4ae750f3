using System.Text;

namespace Doris.Sql.Admin;

/// <summary>
/// Doris resource-tag values: a letter, then letters, digits or underscores, 32 characters at most. Zone names
/// such as <c>us-east-1a</c> become <c>us_east_1a</c>.
/// </summary>
public static class LocationTag
{
    private const int MaxLength = 32;

    public static bool IsValid(string value) =>
        value.Length is > 0 and <= MaxLength && char.IsAsciiLetter(value[0]) && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public static string FromZone(string zone)
    {
        ArgumentException.ThrowIfNullOrEmpty(zone);
        var text = new StringBuilder();
        foreach (var c in zone.ToLowerInvariant())
        {
            text.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        var value = char.IsAsciiLetter(text[0]) ? text.ToString() : "zone_" + text;
        return value.Length > MaxLength ? value[..MaxLength] : value;
    }
}
