using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Doris.Desired;

/// <summary>
/// The hash of a parsed core config file, computed exactly as apache/doris-operator stores it in
/// <c>coreConfigMapHashValue</c> (SHA-256 hex of Go's <c>json.Marshal</c> of the lower-cased key/value map: keys sorted,
/// <c>&lt; &gt; &amp;</c> and U+2028/9 escaped), so taking over a cluster from upstream does not roll it.
/// </summary>
public static class ConfigHash
{
    public static string Compute(IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var json = new StringBuilder("{");
        var first = true;
        foreach (var (key, value) in properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                json.Append(',');
            }

            first = false;
            GoString(json, key);
            json.Append(':');
            GoString(json, value);
        }

        json.Append('}');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json.ToString())));
    }

    private static void GoString(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    json.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: json.Append(ch); break;
            }
        }

        json.Append('"');
    }
}
