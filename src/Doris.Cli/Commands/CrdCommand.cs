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
        var kind = new Option<string>("--kind") { Description = "Which resource: dcr (DorisCluster, the default) or ddc (DorisDisaggregatedCluster, storage-compute separated).", DefaultValueFactory = _ => "dcr" };
        kind.AcceptOnlyFromAmong("dcr", "ddc", "DorisCluster", "DorisDisaggregatedCluster");
        var command = new Command("crd", "Print a CustomResourceDefinition (schema generated from dorisctl's own types): DorisCluster, or DorisDisaggregatedCluster with --kind ddc.") { kind, output };
        command.SetAction(parse =>
        {
            var crd = parse.GetValue(kind) is "ddc" or "DorisDisaggregatedCluster" ? DorisDisaggregatedClusterCrd.Build() : DorisClusterCrd.Build();
            ObjectWriter.Write(console.Out, [crd], CommonOptions.Format(parse.GetValue(output)!));
            return ExitCodes.Success;
        });
        return command;
    }
}
