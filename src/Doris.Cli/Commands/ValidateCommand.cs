using System.CommandLine;
using Doris.Api.Validation;
using Doris.Cli.Input;
using Doris.Cli.Output;

namespace Doris.Cli.Commands;

/// <summary><c>dorisctl validate</c>: every problem in the manifests at once, exit code 1 if any is an error.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var files = CommonOptions.Files();
        var example = CommonOptions.Example();
        var output = CommonOptions.Output("text", "text", "json");
        var command = new Command("validate", "Check DorisCluster and DorisDisaggregatedCluster manifests against the schema and the rules a schema cannot express.")
        {
            files, example, output,
        };
        command.SetAction(parse =>
        {
            var inputs = ManifestInputs.Load(parse.GetValue(files) ?? [], parse.GetValue(example), console.In, readsDisaggregated: true);
            var format = CommonOptions.Format(parse.GetValue(output)!);
            var issues = inputs.AllIssues.ToList();
            if (format == OutputFormat.Json)
            {
                IssueReporter.Write(console.Out, issues, format);
            }
            else
            {
                IssueReporter.Write(inputs.HasErrors ? console.Error : console.Out, issues, format);
                var errors = issues.Count(i => i.Severity == Severity.Error);
                var checkedKinds = inputs.DisaggregatedClusters.Count == 0 ? $"{inputs.Clusters.Count} DorisCluster(s)"
                    : inputs.Clusters.Count == 0 ? $"{inputs.DisaggregatedClusters.Count} DorisDisaggregatedCluster(s)"
                    : $"{inputs.Clusters.Count} DorisCluster(s) and {inputs.DisaggregatedClusters.Count} DorisDisaggregatedCluster(s)";
                var summary = $"{checkedKinds} checked: {errors} error(s), {issues.Count - errors} warning(s)";
                (inputs.HasErrors ? console.Error : console.Out).WriteLine(summary);
            }

            if (inputs.Clusters.Count == 0 && inputs.DisaggregatedClusters.Count == 0 && !inputs.HasErrors)
            {
                console.Error.WriteLine("error: the input has no DorisCluster or DorisDisaggregatedCluster; pass a manifest with kind: DorisCluster (or DorisDisaggregatedCluster)");
                return ExitCodes.Invalid;
            }

            return inputs.HasErrors ? ExitCodes.Invalid : ExitCodes.Success;
        });
        return command;
    }
}
