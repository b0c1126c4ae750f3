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
        return CommandInvoker.Run(root.Parse(GetNodeCommand.Reorder(args)), console, InvokedAs, parse => Doris.Kubernetes.Serialization.ReadLimits.Current = limits(parse));
    }
}
