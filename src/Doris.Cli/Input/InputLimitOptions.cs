using System.CommandLine;
using System.Globalization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Cli.Input;

/// <summary>The flags that raise (or lower) the reader's limits, on every command that reads an input.</summary>
internal static class InputLimitOptions
{
    /// <summary>Adds the flags to <paramref name="root"/> (for all its commands) and returns how to read them from a parse.</summary>
    public static Func<ParseResult, ReadLimits> AddTo(RootCommand root)
    {
        var defaults = ReadLimits.Default;
        var depth = Positive("--max-depth", $"Most nesting levels in an input (default {defaults.MaxDepth}).");
        var values = Positive("--max-values", $"Most values in an input once YAML aliases are expanded (default {defaults.MaxValues:N0}).");
        var documents = Positive("--max-documents", $"Most documents in one input (default {defaults.MaxDocuments:N0}).");
        var size = new Option<string?>("--max-input-size")
        {
            Description = $"Largest input, as a quantity such as 64Mi (default {Size(defaults.MaxInputChars)}).",
            Recursive = true,
        };
        size.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && Chars(text) is null)
            {
                r.AddError($"--max-input-size '{text}' is not a size between 1Ki and 1Gi; write e.g. 64Mi");
            }
        });
        foreach (var option in new Option[] { depth, values, documents, size })
        {
            root.Options.Add(option);
        }

        return parse => new ReadLimits(
            parse.GetValue(depth) ?? defaults.MaxDepth,
            parse.GetValue(values) ?? defaults.MaxValues,
            parse.GetValue(documents) ?? defaults.MaxDocuments,
            parse.GetValue(size) is { } text ? Chars(text)!.Value : defaults.MaxInputChars);
    }

    public static string Size(int chars) => chars % (1024 * 1024) == 0
        ? $"{(chars / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)} MiB"
        : $"{chars.ToString("N0", CultureInfo.InvariantCulture)} characters";

    private static Option<int?> Positive(string name, string description)
    {
        var option = new Option<int?>(name) { Description = description, Recursive = true };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError($"{name} must be 1 or more");
            }
        });
        return option;
    }

    // A text is read into memory whole, so the ceiling is 1 GiB (a .NET string holds at most ~1G characters).
    private static int? Chars(string text) =>
        Quantity.TryParse(text, out var bytes) && bytes is >= 1024 and <= 1024m * 1024 * 1024 ? (int)bytes : null;
}
