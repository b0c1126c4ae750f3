using System.CommandLine;
using Doris.Cli;
using Doris.Cli.Commands;

// The operator's process in the image: `dorisctl-operator operator [options]` takes exactly what
// `dorisctl operator [options]` takes, so a Deployment switches between the two by its command alone.
var console = new CliConsole(Console.Out, Console.Error, Console.In);
var root = new RootCommand("dorisctl-operator: the DorisCluster operator alone (the `operator` command of dorisctl, built without the other commands for a smaller process).")
{
    OperatorCommand.Create(console),
};
return CommandInvoker.Run(root.Parse(args), console, "dorisctl-operator");
