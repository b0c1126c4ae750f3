using System.Reflection;

namespace Doris.Cli.Input;

/// <summary>The manifests in <c>examples/</c>, built into the binary so a new user can render one without any file.</summary>
internal static class EmbeddedExamples
{
    private const string Prefix = "examples/";

    public static IReadOnlyList<string> Names { get; } =
        [.. typeof(EmbeddedExamples).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..^".yaml".Length])
            .Order(StringComparer.Ordinal)];

    public static string Read(string name)
    {
        using var stream = typeof(EmbeddedExamples).Assembly.GetManifestResourceStream($"{Prefix}{name}.yaml")
            ?? throw new CliException(ExitCodes.Usage, $"no built-in example '{name}'; choose one of: {string.Join(", ", Names)}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
