using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Validation;

namespace Doris.Cli.Output;

/// <summary>Prints validation issues, one per line (<c>file:line:col: error: path: message</c>) or as JSON for tools.</summary>
internal static class IssueReporter
{
    public static void Write(TextWriter output, IEnumerable<ValidationIssue> issues, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            var array = new JsonArray();
            foreach (var i in issues)
            {
                array.Add((JsonNode)new JsonObject
                {
                    ["severity"] = i.Severity == Severity.Error ? "error" : "warning",
                    ["path"] = i.Path,
                    ["message"] = i.Message,
                    ["file"] = i.Location?.Source,
                    ["line"] = i.Location?.Line,
                    ["column"] = i.Location?.Column,
                });
            }

            output.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true, TypeInfoResolver = Kubernetes.Serialization.KubernetesJsonContext.Default }));
            return;
        }

        foreach (var issue in issues)
        {
            output.WriteLine(issue.ToString());
        }
    }
}
