using System.CommandLine;
using Doris.Api.Validation;
using Doris.Cli.Input;
using Doris.Cli.Output;
using Doris.Desired;
using Doris.Kubernetes.Models;

namespace Doris.Cli.Commands;

/// <summary><c>dorisctl render</c>: the objects the operator would create, printed like <c>helm template</c>.</summary>
internal static class RenderCommand
{
    public static Command Create(CliConsole console)
    {
        var files = CommonOptions.Files();
        var example = CommonOptions.Example();
        var output = CommonOptions.Output("yaml", "yaml", "json");
        var command = new Command("render", "Print the StatefulSets, Services, PodDisruptionBudgets and autoscaler a DorisCluster becomes, or the StatefulSets and Services of a DorisDisaggregatedCluster (nothing is applied).")
        {
            files, example, output,
        };
        command.SetAction(parse =>
        {
            var inputs = ManifestInputs.Load(parse.GetValue(files) ?? [], parse.GetValue(example), console.In, readsDisaggregated: true);
            return Render(inputs, CommonOptions.Format(parse.GetValue(output)!), console);
        });
        return command;
    }

    private static int Render(LoadedInputs inputs, OutputFormat format, CliConsole console)
    {
        // All or nothing: one invalid cluster means no output at all, so a pipe into kubectl never half-applies.
        IssueReporter.Write(console.Error, inputs.AllIssues, OutputFormat.Text);
        foreach (var secret in inputs.Secrets)
        {
            // Render prints what the operator creates; a Secret is the user's to apply (the sandbox applies it).
            console.Error.WriteLine($"warning: kind: Secret '{secret.Metadata!.Name}' passed over: render prints what the operator creates; apply your Secrets yourself (the sandbox applies them)");
        }

        if (inputs.HasErrors)
        {
            console.Error.WriteLine("nothing rendered: fix the errors above ('dorisctl validate' lists them too)");
            return ExitCodes.Invalid;
        }

        if (inputs.Clusters.Count == 0 && inputs.DisaggregatedClusters.Count == 0)
        {
            throw new CliException(ExitCodes.Invalid, "the input has no DorisCluster or DorisDisaggregatedCluster; pass a manifest with kind: DorisCluster (or DorisDisaggregatedCluster)");
        }

        var objects = new List<IKubernetesObject>();
        foreach (var result in inputs.Clusters)
        {
            var desired = DesiredClusterBuilder.Build(result.Cluster!, inputs.ConfigMaps);
            foreach (var warning in desired.Warnings)
            {
                console.Error.WriteLine($"warning: {result.Cluster!.Metadata!.Name}: {warning}");
            }

            objects.AddRange(desired.Objects);
        }

        foreach (var result in inputs.DisaggregatedClusters)
        {
            var desired = Doris.Desired.Disaggregated.DisaggregatedClusterBuilder.Build(result.Cluster!, inputs.ConfigMaps);
            foreach (var warning in desired.Warnings)
            {
                console.Error.WriteLine($"warning: {result.Cluster!.Metadata!.Name}: {warning}");
            }

            objects.AddRange(desired.Objects);
        }

        ObjectWriter.Write(console.Out, objects, format);
        return ExitCodes.Success;
    }
}
