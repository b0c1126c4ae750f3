using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;
using Doris.Eks.Lint;
using Doris.Eks.Planning;
using Doris.Kubernetes.Serialization;

namespace Doris.Cli.Commands;

/// <summary><c>dorisctl eks lint</c>: rule findings for an eksctl ClusterConfig (plus related manifests) or a blueprint.</summary>
internal static class EksLintCommand
{
    public static Command Create(CliConsole console)
    {
        var files = new Option<string[]>("--filename", "-f")
        {
            Description = "An eksctl ClusterConfig or a blueprint; also accepts the cluster-autoscaler Deployment, its priority-expander ConfigMap, StorageClasses, EC2NodeClasses and the aws-node DaemonSet. Repeat for more files.",
            Arity = ArgumentArity.OneOrMore,
            Required = true,
        };
        var output = CommonOptions.Output("text", "text", "json");
        var instanceData = EksCommand.InstanceData();
        var command = new Command("lint", "Check EKS configuration against the practices for Doris and Spot (rules EKS001-EKS015).") { files, output, instanceData };
        command.SetAction(parse =>
        {
            var catalog = EksCommand.Catalog(parse.GetValue(instanceData));
            var documents = new List<JsonNode?>();
            var findings = new List<LintFinding>();
            foreach (var path in parse.GetValue(files)!)
            {
                IReadOnlyList<ManifestDocument> read;
                try
                {
                    read = YamlReader.Read(Input.ManifestInputs.ReadFile(path, console.In), path);
                }
                catch (ManifestException e)
                {
                    throw new CliException(ExitCodes.Unreadable, e.Message);
                }

                foreach (var doc in read.SelectMany(d => d.Expand()))
                {
                    if (doc.Root is not JsonObject root)
                    {
                        findings.Add(new LintFinding("INPUT", LintSeverity.Error, doc.Start.ToString(), $"the document is {Input.ManifestInputs.Describe(doc.Root)}, not a Kubernetes object or blueprint", "each document must be a mapping with apiVersion and kind; separate documents with '---'"));
                        continue;
                    }

                    if (root["kind"] is JsonValue kind && kind.GetValueKind() == System.Text.Json.JsonValueKind.String && kind.GetValue<string>() == "EksBlueprint")
                    {
                        documents.AddRange(FromBlueprint(doc, catalog, findings));
                    }
                    else
                    {
                        documents.Add(doc.Root);
                    }
                }
            }

            var input = LintInput.From(documents);
            if (input.ClusterConfig is null && input.TerraformVars is null && findings.Count == 0)
            {
                throw new CliException(ExitCodes.Invalid, "no eksctl ClusterConfig (kind: ClusterConfig, apiVersion: eksctl.io/v1alpha5), terraform-aws-eks inputs (terraform.tfvars.json) or EksBlueprint in the input; pass one with -f");
            }

            findings.AddRange(EksLinter.Lint(input, catalog));
            Report(console, findings, parse.GetValue(output) == "json");
            return findings.Any(f => f.Severity == LintSeverity.Error) ? ExitCodes.Invalid : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A blueprint is linted as what it plans: its own issues first, then the generated configuration.</summary>
    private static IEnumerable<JsonNode?> FromBlueprint(ManifestDocument doc, Eks.Instances.InstanceCatalog catalog, List<LintFinding> findings)
    {
        var (blueprint, issues) = BlueprintReader.Read(doc, catalog);
        findings.AddRange(issues.Select(i => new LintFinding("BLUEPRINT", i.IsError ? LintSeverity.Error : LintSeverity.Warning, i.Path, i.Message, "fix the blueprint field")));
        if (blueprint is null)
        {
            return [];
        }

        var plan = EksPlanner.Plan(blueprint, catalog);
        var nodes = plan.Artefacts.Where(a => a.Path.EndsWith(".yaml", StringComparison.Ordinal)).SelectMany(a => YamlReader.Read(a.Content, a.Path)).Select(d => d.Root).ToList();
        var flags = plan.Artefacts.FirstOrDefault(a => a.Path == "cluster-autoscaler-flags.txt");
        if (flags is not null)
        {
            nodes.Add(new JsonObject
            {
                ["kind"] = "Deployment",
                ["metadata"] = new JsonObject { ["name"] = "cluster-autoscaler" },
                ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["args"] = new JsonArray([.. flags.Content.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(f => (JsonNode?)JsonValue.Create(f))]) }) } } },
            });
        }

        return nodes;
    }

    private static void Report(CliConsole console, List<LintFinding> findings, bool json)
    {
        if (json)
        {
            var array = new JsonArray([.. findings.Select(f => (JsonNode?)new JsonObject
            {
                ["rule"] = f.RuleId,
                ["severity"] = f.Severity == LintSeverity.Error ? "error" : "warning",
                ["path"] = f.Path,
                ["reason"] = f.Reason,
                ["fix"] = f.Fix,
            })]);
            console.Out.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true, TypeInfoResolver = KubernetesJsonContext.Default }));
            return;
        }

        foreach (var f in findings)
        {
            console.Out.WriteLine(f.ToString());
        }

        var errors = findings.Count(f => f.Severity == LintSeverity.Error);
        console.Out.WriteLine($"{errors} error(s), {findings.Count - errors} warning(s) ({EksLinter.Rules.Count} rules checked)");
    }
}
