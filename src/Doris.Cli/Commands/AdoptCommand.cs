using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Cli.Adoption;
using Doris.Cli.Input;
using Doris.Cli.Output;
using Doris.Desired;
using Doris.Kubernetes.Client;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Cli.Commands;

/// <summary>
/// <c>dorisctl adopt</c>: what taking over a cluster from apache/doris-operator (or an earlier dorisctl) would change,
/// per StatefulSet and per pod-template field, and whether its pods roll. Read-only: nothing is applied.
/// </summary>
internal static class AdoptCommand
{
    public static Command Create(CliConsole console)
    {
        var files = CommonOptions.Files();
        var output = CommonOptions.Output("text", "text", "json");
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Read the live StatefulSets from this cluster (default: the StatefulSets given with -f, else the current kubeconfig context)." };
        var context = new Option<string?>("--context") { Description = "Kubeconfig context to read the live StatefulSets from." };
        var command = new Command("adopt", "Show what taking over a running Doris cluster would change in its StatefulSets, and whether pods roll (exit 0: nothing rolls; 5: pods would roll). Nothing is applied.")
        {
            files, output, kubeconfig, context,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var inputs = ManifestInputs.Load(parse.GetValue(files) ?? [], null, console.In);
            IssueReporter.Write(console.Error, inputs.AllIssues.Where(i => i.Severity == Doris.Api.Validation.Severity.Error), OutputFormat.Text);
            if (inputs.HasErrors)
            {
                return ExitCodes.Invalid;
            }

            if (inputs.Clusters.Count != 1)
            {
                throw new CliException(ExitCodes.Invalid, $"adopt compares one DorisCluster at a time; the input has {inputs.Clusters.Count}");
            }

            var cluster = inputs.Clusters[0].Cluster!;
            var ns = cluster.Metadata!.Namespace ?? "default";
            var desired = DesiredClusterBuilder.Build(cluster, inputs.ConfigMaps).Objects.OfType<StatefulSet>().ToList();
            var live = inputs.StatefulSets.Count > 0
                ? inputs.StatefulSets.GroupBy(s => (string?)s["metadata"]?["name"] ?? string.Empty).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal)
                : await FetchAsync(desired, ns, parse.GetValue(kubeconfig), parse.GetValue(context), cancellationToken).ConfigureAwait(false);
            var reports = desired.Select(d => TemplateComparison.Compare(d, live.GetValueOrDefault(d.Metadata!.Name!))).ToList();
            if (parse.GetValue(output) == "json")
            {
                console.Out.WriteLine(new JsonArray([.. reports.Select(r => (JsonNode)Json(r))]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                Print(console.Out, reports);
            }

            return reports.Any(r => r.Rolls) ? ExitCodes.WouldRoll : ExitCodes.Success;
        });
        return command;
    }

    private static async Task<Dictionary<string, JsonObject>> FetchAsync(IReadOnlyList<StatefulSet> desired, string ns, string? kubeconfig, string? context, CancellationToken cancellationToken)
    {
        ClusterConnection connection;
        try
        {
            connection = KubeConfigLoader.Load(KubeConfigLoader.Locate(kubeconfig, Environment.GetEnvironmentVariable("KUBECONFIG"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)), context, TimeProvider.System);
        }
        catch (KubeConfigException e)
        {
            throw new CliException(ExitCodes.Unreadable, $"{e.Message} (or pass the live StatefulSets with -f, from 'kubectl get sts -o yaml')");
        }

        using var client = new KubernetesClient(connection, null, TimeProvider.System);
        var statefulSets = client.For(ResourceDescriptor.StatefulSets, KubernetesJsonContext.Default.StatefulSet);
        var live = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var set in desired)
        {
            try
            {
                // The model keeps fields it does not know, so the live object compares whole.
                var found = await statefulSets.GetAsync(ns, set.Metadata!.Name!, cancellationToken).ConfigureAwait(false);
                live[set.Metadata.Name!] = JsonSerializer.SerializeToNode(found, KubernetesJsonContext.Default.StatefulSet)!.AsObject();
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
            }
        }

        return live;
    }

    internal static void Print(TextWriter output, IReadOnlyList<StatefulSetReport> reports)
    {
        foreach (var report in reports)
        {
            if (!report.Exists)
            {
                output.WriteLine($"StatefulSet {report.Name}: not found; it would be created");
                continue;
            }

            output.WriteLine(report.Rolls
                ? $"StatefulSet {report.Name}: {report.Template.Count} pod-template difference(s): its pods roll, one at a time (see docs/compatibility.md for why each differs)"
                : $"StatefulSet {report.Name}: pod template unchanged: no pod restarts");
            foreach (var d in report.Template.Concat(report.Other))
            {
                var why = KnownDifferences.Reason(d.Path) is { } reason ? $"  [documented: {reason}]" : "  [not a documented difference: your spec and the live set disagree here, or dorisctl renders it differently; check before switching]";
                output.WriteLine($"  {d.Path}: {Short(d.Live)} -> {Short(d.Ours)}{(report.Template.Contains(d) ? why : string.Empty)}");
            }

            foreach (var f in report.Fixed)
            {
                output.WriteLine($"  kept as it is: {f}");
            }
        }
    }

    // Long values (probe scripts, affinity terms) are cut in the text report; -o json carries them whole.
    private static string Short(string value) => value.Length > 240 ? value[..237] + "..." : value;

    private static JsonObject Json(StatefulSetReport r) => new()
    {
        ["statefulSet"] = r.Name,
        ["exists"] = r.Exists,
        ["rolls"] = r.Rolls,
        ["template"] = new JsonArray([.. r.Template.Select(d => (JsonNode)new JsonObject { ["path"] = d.Path, ["live"] = d.Live, ["ours"] = d.Ours, ["documented"] = KnownDifferences.Reason(d.Path) })]),
        ["other"] = new JsonArray([.. r.Other.Select(d => (JsonNode)new JsonObject { ["path"] = d.Path, ["live"] = d.Live, ["ours"] = d.Ours })]),
        ["fixed"] = new JsonArray([.. r.Fixed.Select(f => (JsonNode)JsonValue.Create(f))]),
    };
}
