namespace Doris.Kubernetes.Emulator.Storage;

/// <summary>
/// A parsed label selector string: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>, <c>a notin (x)</c>, <c>a</c>, <c>!a</c>,
/// comma-separated, all of which must hold.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _terms = [];

    public static LabelSelector Everything { get; } = new();

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _terms.All(t => t(labels));

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in SplitTerms(text))
        {
            var term = raw.Trim();
            if (term.StartsWith('!'))
            {
                var key = Key(term[1..], text);
                selector._terms.Add(l => !l.ContainsKey(key));
            }
            else if (term.Contains(" notin ", StringComparison.Ordinal) || term.Contains(" in ", StringComparison.Ordinal))
            {
                var notIn = term.Contains(" notin ", StringComparison.Ordinal);
                var parts = term.Split(notIn ? " notin " : " in ", 2);
                var key = Key(parts[0], text);
                var set = parts[1].Trim();
                if (!set.StartsWith('(') || !set.EndsWith(')'))
                {
                    throw ApiError.BadRequest($"unable to parse requirement: found '{set}', expected: '('");
                }

                var values = set[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                selector._terms.Add(notIn ? l => !l.TryGetValue(key, out var v) || !values.Contains(v) : l => l.TryGetValue(key, out var v) && values.Contains(v));
            }
            else if (term.Contains("!=", StringComparison.Ordinal))
            {
                var parts = term.Split("!=", 2);
                var (key, value) = (Key(parts[0], text), parts[1].Trim());
                selector._terms.Add(l => !l.TryGetValue(key, out var v) || v != value);
            }
            else if (term.Contains('=', StringComparison.Ordinal))
            {
                var parts = term.Split(term.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
                var (key, value) = (Key(parts[0], text), parts[1].Trim());
                selector._terms.Add(l => l.TryGetValue(key, out var v) && v == value);
            }
            else
            {
                var key = Key(term, text);
                selector._terms.Add(l => l.ContainsKey(key));
            }
        }

        return selector;
    }

    // Commas inside "in (a,b)" do not separate terms.
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static string Key(string key, string whole)
    {
        key = key.Trim();
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
        {
            throw ApiError.BadRequest($"unable to parse requirement: invalid label key \"{key}\" in selector \"{whole}\"");
        }

        return key;
    }
}
