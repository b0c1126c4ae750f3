namespace Doris.Api.Config;

/// <summary>
/// Reads <c>fe.conf</c>/<c>be.conf</c>: Java-properties style <c>key = value</c> lines, <c>#</c> and <c>!</c> comments,
/// keys lower-cased as upstream's parser does, the last duplicate wins.
/// </summary>
public static class JavaProperties
{
    public static IReadOnlyDictionary<string, string> Parse(string? text)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        var pending = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var line = pending + raw.TrimEnd('\r').TrimStart();
            pending = string.Empty;
            if (line.EndsWith('\\'))
            {
                pending = line[..^1];
                continue;
            }

            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            var cut = line.IndexOfAny(['=', ':']);
            var key = (cut < 0 ? line : line[..cut]).Trim();
            var value = cut < 0 ? string.Empty : line[(cut + 1)..].Trim();
            if (key.Length > 0)
            {
                result[key.ToLowerInvariant()] = value;
            }
        }

        return result;
    }
}
