using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Doris.Kubernetes.Serialization;

/// <summary>
/// Reads multi-document YAML into JSON nodes the way Kubernetes tools do: YAML is only a syntax for
/// JSON, plain scalars resolve to null/bool/number by the YAML 1.2 core schema, quoted ones stay strings.
/// Bounded: an alias that refers to a node containing it, more than <see cref="MaxDepth"/> levels of nesting, or
/// more than <see cref="MaxNodes"/> values once aliases are expanded (an alias bomb) is a one-line error naming the
/// place, never a stack overflow or gigabytes of memory.
/// </summary>
public static class YamlReader
{
    /// <summary>System.Text.Json's default depth: deeper documents could be read but not written back.</summary>
    public const int MaxDepth = 64;

    /// <summary>Values after alias expansion: far above any real manifest (a production DorisCluster has a few hundred), low enough that the reader stays within tens of MiB.</summary>
    public const int MaxNodes = 250_000;

    private sealed class Budget
    {
        public int Nodes;

        public readonly HashSet<YamlNode> Open = new(ReferenceEqualityComparer.Instance);
    }

    public static IReadOnlyList<ManifestDocument> Read(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw Unreadable(source, e);
        }
        catch (InvalidOperationException e)
        {
            // The representation model sometimes fails without a position; the event parser gives one.
            throw Unreadable(source, FindSyntaxError(text) ?? new YamlException(e.Message));
        }

        var documents = new List<ManifestDocument>();
        foreach (var document in stream.Documents)
        {
            var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
            var root = Convert(document.RootNode, string.Empty, source, locations, new Budget(), 0);
            if (root is null && document.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue; // an empty document between two '---' separators
            }

            documents.Add(new ManifestDocument(root, locations, At(source, document.RootNode)));
        }

        return documents;
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
        if (depth > MaxDepth)
        {
            throw new ManifestException($"{At(source, node)}: {where}: nested more than {MaxDepth} levels deep; no manifest needs that, so the input is refused");
        }

        if (++budget.Nodes > MaxNodes)
        {
            throw new ManifestException($"{At(source, node)}: {where}: more than {MaxNodes:N0} values once aliases are expanded (an alias bomb?); expand the aliases by hand or split the input");
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
            return JsonNode.Parse(value.StartsWith('+') ? value[1..] : NormaliseFloat(value));
        }

        return JsonValue.Create(value);
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
