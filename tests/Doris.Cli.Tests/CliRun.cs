namespace Doris.Cli.Tests;

/// <summary>Runs dorisctl in-process with captured streams.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static CliRun Of(params string[] args) => WithInput(string.Empty, args);

    public static CliRun WithInput(string stdin, params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = DorisCtl.Run(args, new CliConsole(output, error, new StringReader(stdin)));
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>A .NET stack trace line; users must never see one.</summary>
    public bool HasStackTrace => Error.Contains("   at ", StringComparison.Ordinal) || Out.Contains("   at ", StringComparison.Ordinal);
}
