using System.CommandLine;
using Doris.Cli.Input;
using Doris.Cli.Output;

namespace Doris.Cli.Commands;

/// <summary>Options shared by the commands that read manifests.</summary>
internal static class CommonOptions
{
    public static Option<string[]> Files() => new("--filename", "-f")
    {
        Description = "A manifest file (YAML, several documents allowed); repeat for more, '-' reads stdin. ConfigMaps given here supply fe.conf/be.conf.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<string?> Example()
    {
        var option = new Option<string?>("--example")
        {
            Description = "Use a built-in example manifest instead of (or with) files: " + string.Join(", ", EmbeddedExamples.Names),
        };
        option.CompletionSources.Add(EmbeddedExamples.Names.ToArray());
        return option;
    }

    public static Option<string> Output(string defaultFormat, params string[] formats)
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: " + string.Join("|", formats),
            DefaultValueFactory = _ => defaultFormat,
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    public static OutputFormat Format(string value) => value switch
    {
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        _ => OutputFormat.Text,
    };
}
