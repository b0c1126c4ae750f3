using System.CommandLine;

namespace Doris.Cli;

/// <summary>
/// Runs a parsed command line and turns every failure into a message and an exit code: parse errors are usage
/// errors, <see cref="CliException"/> carries its own code, an I/O failure is the output's, anything else is a bug.
/// Shared by <c>dorisctl</c> and the operator-only <c>dorisctl-operator</c> (which compiles this file too), so both
/// fail the same way.
/// </summary>
public static class CommandInvoker
{
    /// <param name="invokedAs">The command the user typed, for the usage hint.</param>
    /// <param name="beforeInvoke">Runs after a clean parse, inside the error handling (e.g. process-wide limits).</param>
    public static int Run(ParseResult parse, CliConsole console, string invokedAs, Action<ParseResult>? beforeInvoke = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(console);
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                console.Error.WriteLine($"error: {error.Message}");
            }

            console.Error.WriteLine($"run '{invokedAs} --help' for usage");
            return ExitCodes.Usage;
        }

        try
        {
            beforeInvoke?.Invoke(parse);
            return parse.Invoke(configuration);
        }
        catch (CliException e)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Reading is bounded and classified where it happens, so an I/O failure here is the output: a closed
            // stdout (a pipe whose reader left), a full disk, a read-only directory.
            TryWrite(console.Error, $"error: cannot write the output: {e.Message.TrimEnd('.')}; check free space and permissions, and that stdout is open");
            return ExitCodes.OutputFailed;
        }
#pragma warning disable CA1031 // the last line of defence: a bug must still end in a message, not a stack trace
        catch (Exception e)
#pragma warning restore CA1031
        {
            console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            console.Error.WriteLine($"this is a bug in {invokedAs}; please report it with the command and input that caused it");
            if (Environment.GetEnvironmentVariable("DORISCTL_DEBUG") == "1")
            {
                console.Error.WriteLine(e);
            }

            return ExitCodes.Internal;
        }
    }

    private static void TryWrite(TextWriter writer, string line)
    {
        try
        {
            writer.WriteLine(line);
            writer.Flush();
        }
        catch (IOException)
        {
            // stderr is closed too: the exit code is all that is left
        }
    }
}
