using System.CommandLine;
using Doris.Eks.Blueprints;
using Doris.Eks.Planning;
using Doris.Kubernetes.Serialization;

namespace Doris.Cli.Commands;

/// <summary><c>dorisctl eks plan</c>: one file per artefact into a directory, a readable summary on stdout.</summary>
internal static class EksPlanCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Option<string>("--filename", "-f") { Description = "The blueprint (YAML, kind EksBlueprint); '-' reads stdin.", Required = true };
        var outDir = new Option<string?>("--out", "-o") { Description = "Directory to write the artefacts to (created if missing). Without it only the summary is printed." };
        var format = new Option<string>("--format") { Description = "Which artefacts: all, eksctl (with cluster-autoscaler), karpenter, terraform.", DefaultValueFactory = _ => "all" };
        format.AcceptOnlyFromAmong(["all", .. EksPlanner.Formats]);
        var instanceData = EksCommand.InstanceData();
        var command = new Command("plan", "Plan an EKS cluster for Doris from a blueprint: eksctl ClusterConfig, user data, autoscaler or Karpenter, CNI, StorageClass, termination handler, placement.")
        {
            file, outDir, format, instanceData,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var catalog = EksCommand.Catalog(parse.GetValue(instanceData));
            var planned = Plan(path, Input.ManifestInputs.ReadFile(path, console.In), catalog, console);
            if (planned is null)
            {
                console.Error.WriteLine("nothing planned: fix the errors above");
                return ExitCodes.Invalid;
            }

            var plan = planned.Value.Plan;

            var selected = parse.GetValue(format)!;
            var artefacts = plan.Artefacts.Where(a => selected == "all" || a.Format == selected || a.Format == "common").ToList();
            if (selected == "karpenter" && artefacts.All(a => a.Format != "karpenter"))
            {
                throw new CliException(ExitCodes.Invalid, "this blueprint uses cluster-autoscaler; set autoscaler: karpenter to plan NodePools");
            }

            if (parse.GetValue(outDir) is { } dir)
            {
                Write(dir, artefacts);
                console.Error.WriteLine($"wrote {artefacts.Count} files to {dir}");
            }

            console.Out.Write(PlanSummary.Render(plan, planned.Value.Blueprint.PrefixDelegation == true));
            return ExitCodes.Success;
        });
        return command;
    }

    internal static (Blueprint Blueprint, EksPlan Plan)? Plan(string path, string text, Eks.Instances.InstanceCatalog catalog, CliConsole console)
    {
        IReadOnlyList<ManifestDocument> documents;
        try
        {
            documents = YamlReader.Read(text, path);
        }
        catch (ManifestException e)
        {
            throw new CliException(ExitCodes.Unreadable, e.Message);
        }

        if (documents.Count != 1)
        {
            throw new CliException(ExitCodes.Invalid, $"{path}: expected one blueprint document, found {documents.Count}; put one EksBlueprint in the file");
        }

        var (blueprint, issues) = BlueprintReader.Read(documents[0], catalog);
        foreach (var issue in issues)
        {
            console.Error.WriteLine($"{documents[0].Locate(issue.Path)}: {issue}");
        }

        if (blueprint is null)
        {
            return null;
        }

        return (blueprint, EksPlanner.Plan(blueprint, catalog));
    }

    private static void Write(string dir, IReadOnlyList<PlanArtefact> artefacts)
    {
        try
        {
            foreach (var a in artefacts)
            {
                var target = Path.Combine(dir, a.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllText(target, a.Content);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Unreadable, $"cannot write to '{dir}': {e.Message}; choose a writable directory");
        }
    }
}
