using System.CommandLine;
using Doris.Cli.Commands;

namespace Doris.Cli;

/// <summary>The composition root: builds the command tree and turns every failure into a message and an exit code.</summary>
public static class DorisCtl
{
    /// <summary>
    /// "kubectl doris" when this binary was started as the kubectl plugin <c>kubectl-doris</c> (kubectl runs plugins by
    /// their path, so argv[0] says which), else "dorisctl": help and usage lines name the command the user typed.
    /// </summary>
    public static string InvokedAs { get; } = Invoked();

    private static string Invoked()
    {
        try
        {
            var argv0 = File.ReadAllText("/proc/self/cmdline").Split('\0')[0];
            return Path.GetFileName(argv0) == "kubectl-doris" ? "kubectl doris" : "dorisctl";
        }
        catch (IOException)
        {
            return "dorisctl"; // no /proc (not Linux): the plain name
        }
    }

    public static int Run(string[] args, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new RootCommand($"{InvokedAs}: run Apache Doris on Kubernetes (DorisCluster, doris.selectdb.com/v1). Installed as kubectl-doris on PATH it is the kubectl plugin 'kubectl doris'.")
        {
            RenderCommand.Create(console),
            AdoptCommand.Create(console),
            ValidateCommand.Create(console),
            CrdCommand.Create(console),
            EksCommand.Create(console),
            EmulatorCommand.Create(console),
            OperatorCommand.Create(console),
            InstallCommand.Create(console),
            SandboxCommand.Create(console),
            StatusCommand.Create(console),
            MonitoringCommand.Create(console),
            GetNodeCommand.Create(console),
            CompletionCommand.Create(console),
        };
        var limits = Input.InputLimitOptions.AddTo(root);
        var parse = root.Parse(GetNodeCommand.Reorder(args));
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                console.Error.WriteLine($"error: {error.Message}");
            }

            console.Error.WriteLine($"run '{InvokedAs} --help' for usage");
            return ExitCodes.Usage;
        }

        try
        {
            Doris.Kubernetes.Serialization.ReadLimits.Current = limits(parse);
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
            console.Error.WriteLine("this is a bug in dorisctl; please report it with the command and input that caused it");
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
