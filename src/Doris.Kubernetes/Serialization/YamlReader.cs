using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Doris.Kubernetes.Serialization;

/// <summary>
/// Reads multi-document YAML into JSON nodes the way Kubernetes tools do: YAML is only a syntax for
/// JSON, plain scalars resolve to null/bool/number by the YAML 1.2 core schema, quoted ones stay strings.
/// Bounded by <see cref="ReadLimits"/>: an alias that refers to a node containing it, too deep a nesting, too many
/// values once aliases are expanded (an alias bomb) or too many documents is a one-line error naming the place and
/// the limit, never a stack overflow or gigabytes of memory.
/// </summary>
public static class YamlReader
{
    /// <summary>The default nesting limit (System.Text.Json's: deeper documents could be read but not written back).</summary>
    public static int MaxDepth => ReadLimits.Default.MaxDepth;

    /// <summary>The default limit on values after alias expansion.</summary>
    public static int MaxNodes => ReadLimits.Default.MaxValues;

    private sealed class Budget(ReadLimits limits)
    {
        public int Nodes;

        public ReadLimits Limits { get; } = limits;

        public readonly HashSet<YamlNode> Open = new(ReferenceEqualityComparer.Instance);
    }

    public static IReadOnlyList<ManifestDocument> Read(string text, string source) => Read(text, source, ReadLimits.Current);

    public static IReadOnlyList<ManifestDocument> Read(string text, string source, ReadLimits limits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(limits);
        if (text.Length > limits.MaxInputChars)
        {
            throw new ManifestException($"{source}: {text.Length:N0} characters is more than the {limits.MaxInputChars:N0} allowed (--max-input-size); pass the manifest itself, or raise the limit");
        }

        var stream = new YamlStream();
        try
        {
            // YamlDotNet's node loader recurses once per level: measure depth and documents on the flat event stream
            // first, so 100,000 nested brackets are an error here rather than a stack overflow there.
            PreScan(text, source, limits);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw Unreadable(source, e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // The representation model sometimes fails without a position (an event it does not expect where it
            // is, such as a directive after content); the event parser gives one.
            throw Unreadable(source, FindSyntaxError(text) ?? new YamlException(e.Message));
        }

        var documents = new List<ManifestDocument>();
        var budget = new Budget(limits); // one budget for the whole input: a bomb spread over documents is still a bomb
        foreach (var document in stream.Documents)
        {
            var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
            var root = Convert(document.RootNode, string.Empty, source, locations, budget, 0);
            if (root is null && document.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue; // an empty document between two '---' separators
            }

            documents.Add(new ManifestDocument(root, locations, At(source, document.RootNode)));
        }

        return documents;
    }

    private static void PreScan(string text, string source, ReadLimits limits)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        var documents = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart when ++depth > limits.MaxDepth + 1:
                    throw new ManifestException($"{source}:{parser.Current.Start.Line}:{parser.Current.Start.Column}: nested more than {limits.MaxDepth} levels deep (--max-depth); no manifest needs that, so the input is refused");
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
                case YamlDotNet.Core.Events.DocumentStart when ++documents > limits.MaxDocuments:
                    throw new ManifestException($"{source}:{parser.Current.Start.Line}:{parser.Current.Start.Column}: more than {limits.MaxDocuments:N0} documents (--max-documents); split the input or raise the limit");
            }
        }
    }

    private static ManifestException Unreadable(string source, YamlException e)
    {
        var reason = Innermost(e).Message;
        var at = $"{source}:{e.Start.Line}:{e.Start.Column}";
        return reason.StartsWith("Duplicate key ", StringComparison.Ordinal)
            ? new ManifestException($"{at}: duplicate key '{reason["Duplicate key ".Length..]}'; keep only one", e)
            : new ManifestException($"{at}: not valid YAML: {reason}; fix the syntax at that line", e);
    }

    private static YamlException? FindSyntaxError(string text)
    {
        var last = Mark.Empty;
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                last = parser.Current!.End;
            }

            return null;
        }
        catch (YamlException e)
        {
            return e;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner can fail without a position; the end of the last good token is the best we know.
            return new YamlException(last, last, "the document cannot be parsed after this point (an unclosed bracket or quote?)");
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    private static SourceLocation At(string source, YamlNode node) => new(source, (int)node.Start.Line, (int)node.Start.Column);

    private static JsonNode? Convert(YamlNode node, string path, string source, Dictionary<string, SourceLocation> locations, Budget budget, int depth)
    {
        var where = path.Length == 0 ? "<root>" : path.Length <= 100 ? path : "..." + path[^97..];
        if (depth > budget.Limits.MaxDepth)
        {
            throw new ManifestException($"{At(source, node)}: {where}: nested more than {budget.Limits.MaxDepth} levels deep (--max-depth); no manifest needs that, so the input is refused");
        }

        if (++budget.Nodes > budget.Limits.MaxValues)
        {
            throw new ManifestException($"{At(source, node)}: {where}: more than {budget.Limits.MaxValues:N0} values once aliases are expanded (--max-values; an alias bomb?); expand the aliases by hand, split the input or raise the limit");
        }

        if (node is not YamlScalarNode && !budget.Open.Add(node))
        {
            throw new ManifestException($"{At(source, node)}: {where}: an alias refers to a node that contains it, so the document would be infinite; replace the alias with the values it should have");
        }

        try
        {
            return ConvertNode(node, path, source, locations, budget, depth);
        }
        finally
        {
            budget.Open.Remove(node);
        }
    }

    private static JsonNode? ConvertNode(YamlNode node, string path, string source, Dictionary<string, SourceLocation> locations, Budget budget, int depth)
    {
        if (path.Length > 0)
        {
            locations[path] = At(source, node);
        }

        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in map.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        throw new ManifestException($"{At(source, keyNode)}: a mapping key must be a plain string; quote it or restructure the mapping");
                    }

                    if (obj.ContainsKey(key))
                    {
                        throw new ManifestException($"{At(source, keyNode)}: duplicate key '{key}' under '{(path.Length == 0 ? "<root>" : path)}'; keep only one");
                    }

                    obj[key] = Convert(valueNode, path.Length == 0 ? key : path + "." + key, source, locations, budget, depth + 1);
                }

                return obj;
            case YamlSequenceNode seq:
                var array = new JsonArray();
                var i = 0;
                foreach (var item in seq.Children)
                {
                    array.Add(Convert(item, $"{path}[{i++}]", source, locations, budget, depth + 1));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new ManifestException($"{At(source, node)}: unsupported YAML node; use plain mappings, sequences and scalars");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(value);
        }

        return Resolve(value);
    }

    /// <summary>The YAML 1.2 core schema resolution of a plain scalar.</summary>
    internal static JsonNode? Resolve(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (AmbiguousNumeral(value))
        {
            // 0123 is 83 to kubectl and PyYAML (YAML 1.1 octal) but 123 in YAML 1.2, and 05e3 is not a JSON number:
            // no reading is safe, so the text stays as written (a string field gets it; a number field says why not).
            return JsonValue.Create(value);
        }

        if (LooksLikeInteger(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        if (value.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (LooksLikeFloat(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            try
            {
                return JsonNode.Parse(value.StartsWith('+') ? NormaliseFloat(value[1..]) : NormaliseFloat(value));
            }
            catch (System.Text.Json.JsonException)
            {
                return JsonValue.Create(d); // a form JSON has no spelling for: the value, not the text
            }
        }

        return JsonValue.Create(value);
    }

    /// <summary>A numeral with a leading zero (<c>0123</c>, <c>05e3</c>, <c>-007</c>): its value differs between YAML 1.1 and 1.2 readers.</summary>
    internal static bool AmbiguousNumeral(string v)
    {
        var i = v.Length > 0 && v[0] is '-' or '+' ? 1 : 0;
        return v.Length > i + 1 && v[i] == '0' && char.IsAsciiDigit(v[i + 1]) && (LooksLikeInteger(v) || LooksLikeFloat(v));
    }

    internal static bool LooksLikeInteger(string v)
    {
        var start = v.Length > 0 && v[0] is '-' or '+' ? 1 : 0;
        if (start >= v.Length)
        {
            return false;
        }

        for (var i = start; i < v.Length; i++)
        {
            if (!char.IsAsciiDigit(v[i]))
            {
                return false;
            }
        }

        return true;
    }

    internal static bool LooksLikeFloat(string v)
    {
        var i = v.Length > 0 && v[0] is '-' or '+' ? 1 : 0;
        var digits = 0;
        while (i < v.Length && char.IsAsciiDigit(v[i]))
        {
            i++;
            digits++;
        }

        if (i < v.Length && v[i] == '.')
        {
            i++;
            while (i < v.Length && char.IsAsciiDigit(v[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < v.Length && v[i] is 'e' or 'E')
        {
            i++;
            if (i < v.Length && v[i] is '-' or '+')
            {
                i++;
            }

            var expDigits = 0;
            while (i < v.Length && char.IsAsciiDigit(v[i]))
            {
                i++;
                expDigits++;
            }

            if (expDigits == 0)
            {
                return false;
            }
        }

        return i == v.Length;
    }

    // JSON has no "1." or ".5"; write the same number in a form JSON accepts.
    private static string NormaliseFloat(string v)
    {
        var s = v.Replace(".e", ".0e", StringComparison.Ordinal).Replace(".E", ".0E", StringComparison.Ordinal);
        if (s.EndsWith('.'))
        {
            s += "0";
        }

        return s.StartsWith('.') ? "0" + s : s.StartsWith("-.", StringComparison.Ordinal) ? "-0" + s[1..] : s;
    }
}
