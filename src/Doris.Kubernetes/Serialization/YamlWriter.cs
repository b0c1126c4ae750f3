using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Doris.Kubernetes.Serialization;

/// <summary>Writes JSON nodes as block-style YAML, quoting exactly the strings a reader would otherwise take for another type.</summary>
public static class YamlWriter
{
    public static string Write(JsonNode? node) => WriteAll([node]);

    /// <summary>A multi-document stream, each document introduced by <c>---</c>, as <c>helm template</c> prints.</summary>
    public static string WriteAll(IEnumerable<JsonNode?> documents)
    {
        var text = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, indentSequences: false));
        emitter.Emit(new StreamStart());
        foreach (var document in documents)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: false));
            Emit(emitter, document);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }

        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, true, MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
                foreach (var item in array)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        EmitString(emitter, value.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                        emitter.Emit(new Scalar(null, null, "true", ScalarStyle.Plain, true, false));
                        break;
                    case JsonValueKind.False:
                        emitter.Emit(new Scalar(null, null, "false", ScalarStyle.Plain, true, false));
                        break;
                    case JsonValueKind.Null:
                        emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                        break;
                    default:
                        emitter.Emit(new Scalar(null, null, value.ToJsonString(), ScalarStyle.Plain, true, false));
                        break;
                }

                break;
        }
    }

    private static void EmitString(IEmitter emitter, string s)
    {
        ScalarStyle style;
        if (s.Contains('\n', StringComparison.Ordinal) && !s.Contains('\r', StringComparison.Ordinal) && s.TrimEnd('\n') == s.TrimEnd())
        {
            style = ScalarStyle.Literal;
        }
        else if (YamlReader.Resolve(s) is not JsonValue v || v.GetValueKind() != JsonValueKind.String || NeedsQuotes(s))
        {
            style = ScalarStyle.DoubleQuoted;
        }
        else
        {
            style = ScalarStyle.Any;
        }

        emitter.Emit(new Scalar(null, null, s, style, true, true));
    }

    // Strings other readers would take for something else: YAML 1.1 booleans, numbers with underscores, leading
    // zeros, octal/binary prefixes or infinities (go-yaml in kubectl, PyYAML), sexagesimals and timestamps, merge keys.
    private static bool NeedsQuotes(string s) =>
        s is "y" or "Y" or "yes" or "Yes" or "YES" or "n" or "N" or "no" or "No" or "NO" or "on" or "On" or "ON" or "off" or "Off" or "OFF" or "=" or "<<"
        || s.StartsWith("0", StringComparison.Ordinal) && s.Length > 1 && s.All(c => char.IsAsciiDigit(c) || c is '_' or 'x' or 'o' or 'b' or '.')
        || LooksNumeric(s.Replace("_", string.Empty, StringComparison.Ordinal))
        || s.TrimStart('-', '+') is ".inf" or ".Inf" or ".INF" or ".nan" or ".NaN" or ".NAN"
        || s.Length > 2 && s[0] == '0' && s[1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B' && s[2..].All(char.IsAsciiHexDigit)
        || s.Length > 0 && char.IsAsciiDigit(s[0]) && s.Contains(':', StringComparison.Ordinal) && s.All(c => char.IsAsciiDigit(c) || c is ':' or '.')
        || s.Length >= 10 && char.IsAsciiDigit(s[0]) && s[4] == '-' && s.Replace("-", string.Empty, StringComparison.Ordinal).TakeWhile(char.IsAsciiDigit).Count() >= 8;

    private static bool LooksNumeric(string s) => s.Length > 0 && (YamlReader.LooksLikeInteger(s) || YamlReader.LooksLikeFloat(s));
}
