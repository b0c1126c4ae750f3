using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Doris.Kubernetes.Schema;

/// <summary>
/// Checks a JSON document against an OpenAPI schema (v3 structural, as in CRDs, or v2 with <c>$ref</c>
/// definitions, as in the Kubernetes swagger). Unknown fields are errors, as with
/// <c>kubectl apply --validate=strict</c>; a JSON null counts as an absent field, as the API server treats it.
/// </summary>
public sealed class SchemaValidator(Func<string, JsonNode?>? resolveReference = null)
{
    private readonly Dictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    public IReadOnlyList<SchemaViolation> Validate(JsonNode? value, JsonNode schema)
    {
        var violations = new List<SchemaViolation>();
        Check(value, schema, string.Empty, violations);
        return violations;
    }

    private void Check(JsonNode? value, JsonNode schema, string path, List<SchemaViolation> violations)
    {
        if (schema["$ref"] is JsonValue reference)
        {
            var target = reference.GetValue<string>();
            schema = resolveReference?.Invoke(target) ?? throw new InvalidOperationException($"unresolved schema reference {target}");
        }

        if (value is null)
        {
            return;
        }

        if (schema["x-kubernetes-int-or-string"] is JsonValue ios && ios.GetValue<bool>() || (string?)schema["format"] == "int-or-string")
        {
            var kind = value.GetValueKind();
            if (kind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                violations.Add(new(path, $"expected an integer or a string, got {Describe(value)}"));
                return;
            }

            if (kind == JsonValueKind.String)
            {
                CheckPattern(value.GetValue<string>(), schema, path, violations);
            }

            return;
        }

        var type = (string?)schema["type"];
        var preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"] is JsonValue p && p.GetValue<bool>();
        switch (type)
        {
            case "object":
                CheckObject(value, schema, path, preserveUnknown, violations);
                break;
            case "array":
                if (value is not JsonArray array)
                {
                    violations.Add(new(path, $"expected a list, got {Describe(value)}; write it as a YAML sequence ('- item')"));
                    return;
                }

                if (schema["items"] is { } items)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        Check(array[i], items, $"{path}[{i}]", violations);
                    }
                }

                break;
            case "string":
                if (value.GetValueKind() != JsonValueKind.String)
                {
                    // YAML reads an example's placeholder, {secret_name}, as a mapping with one empty key.
                    violations.Add(value is JsonObject { Count: 1 } placeholder && placeholder.First().Value is null
                        ? new(path, $"expected a string, got {{{placeholder.First().Key}}}, a placeholder left from an example (YAML reads it as a mapping); replace it with the value")
                        : new(path, $"expected a string, got {Describe(value)}; quote the value"));
                    return;
                }

                var s = value.GetValue<string>();
                if (schema["enum"] is JsonArray allowed && !allowed.Any(a => (string?)a == s))
                {
                    violations.Add(new(path, $"'{s}' is not one of {string.Join(", ", allowed.Select(a => $"'{(string?)a}'"))}; use one of those"));
                }

                CheckPattern(s, schema, path, violations);
                break;
            case "integer":
                if (value.GetValueKind() != JsonValueKind.Number || !long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                {
                    var fix = value.GetValueKind() == JsonValueKind.String && Serialization.YamlReader.AmbiguousNumeral(value.GetValue<string>())
                        ? "write it without the leading zero (YAML 1.1 readers take it for octal, 1.2 for decimal)"
                        : "write a whole number without quotes";
                    violations.Add(new(path, $"expected an integer, got {Describe(value)}; {fix}"));
                    return;
                }

                if ((string?)schema["format"] == "int32" && whole is < int.MinValue or > int.MaxValue)
                {
                    violations.Add(new(path, $"{whole} does not fit in a 32-bit integer"));
                }

                CheckRange(whole, schema, path, violations);
                break;
            case "number":
                if (value.GetValueKind() != JsonValueKind.Number)
                {
                    violations.Add(new(path, $"expected a number, got {Describe(value)}; write a number without quotes"));
                    return;
                }

                CheckRange(Number(value), schema, path, violations);
                break;
            case "boolean":
                if (value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    violations.Add(new(path, $"expected true or false, got {Describe(value)}"));
                }

                break;
            case null when schema["properties"] is not null:
                CheckObject(value, schema, path, preserveUnknown, violations);
                break;
        }
    }

    private void CheckObject(JsonNode value, JsonNode schema, string path, bool preserveUnknown, List<SchemaViolation> violations)
    {
        if (value is not JsonObject obj)
        {
            violations.Add(new(path, $"expected a mapping, got {Describe(value)}; write it as 'key: value' lines"));
            return;
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        foreach (var (key, child) in obj)
        {
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (properties?[key] is { } propertySchema)
            {
                Check(child, propertySchema, childPath, violations);
            }
            else if (additional is JsonObject additionalSchema)
            {
                Check(child, additionalSchema, childPath, violations);
            }
            else if (!preserveUnknown && (properties is not null || additional is JsonValue) && !(additional is JsonValue allow && allow.GetValueKind() == JsonValueKind.True))
            {
                var known = properties?.Select(kv => kv.Key).ToList() ?? [];
                var hint = Closest(key, known) is { } near ? $"did you mean '{near}'? " : string.Empty;
                violations.Add(new(childPath, $"unknown field '{key}'; {hint}remove it or fix the spelling (known fields here: {string.Join(", ", known)})"));
            }
        }

        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => (string)r!))
            {
                if (obj[name] is null)
                {
                    violations.Add(new(path.Length == 0 ? name : $"{path}.{name}", "required field is missing; add it"));
                }
            }
        }
    }

    private void CheckPattern(string s, JsonNode schema, string path, List<SchemaViolation> violations)
    {
        if ((string?)schema["pattern"] is not { } pattern)
        {
            return;
        }

        if (!_patterns.TryGetValue(pattern, out var regex))
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            _patterns[pattern] = regex;
        }

        if (!regex.IsMatch(s))
        {
            violations.Add(new(path, $"'{s}' does not match the pattern {pattern}"));
        }
    }

    private static void CheckRange(double number, JsonNode schema, string path, List<SchemaViolation> violations)
    {
        if (schema["minimum"] is JsonValue min && number < Number(min))
        {
            violations.Add(new(path, $"{number.ToString(CultureInfo.InvariantCulture)} is below the minimum {min.ToJsonString()}; use {min.ToJsonString()} or more"));
        }

        if (schema["maximum"] is JsonValue max && number > Number(max))
        {
            violations.Add(new(path, $"{number.ToString(CultureInfo.InvariantCulture)} is above the maximum {max.ToJsonString()}; use {max.ToJsonString()} or less"));
        }
    }

    // JsonValue keeps the CLR type it was built from (long, int, double), so read numbers through their JSON text.
    private static double Number(JsonNode value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Describe(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Object => "a mapping",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string '{value.GetValue<string>()}'",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.ToJsonString()}",
        _ => $"the number {value.ToJsonString()}",
    };

    /// <summary>The known name within edit distance 2 (case-insensitive), for "did you mean" hints.</summary>
    public static string? Closest(string name, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = 3;
        foreach (var candidate in known)
        {
            var d = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }

        return best;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
