using System.CommandLine;
using Doris.Api.Crd;
using Doris.Cli.Output;

namespace Doris.Cli.Commands;

/// <summary><c>dorisctl crd</c>: the DorisCluster CustomResourceDefinition, ready for <c>kubectl apply -f -</c>.</summary>
internal static class CrdCommand
{
    public static Command Create(CliConsole console)
    {
        var output = CommonOptions.Output("yaml", "yaml", "json");
        var command = new Command("crd", "Print the DorisCluster CustomResourceDefinition (schema generated from dorisctl's own types).") { output };
        command.SetAction(parse =>
        {
            ObjectWriter.Write(console.Out, [DorisClusterCrd.Build()], CommonOptions.Format(parse.GetValue(output)!));
            return ExitCodes.Success;
        });
        return command;
    }
}
