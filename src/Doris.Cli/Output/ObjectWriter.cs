using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Cli.Output;

/// <summary>Prints Kubernetes objects as a multi-document YAML stream or as a JSON <c>v1 List</c>, both of which kubectl applies.</summary>
internal static class ObjectWriter
{
    public static JsonNode ToNode(IKubernetesObject obj) =>
        JsonSerializer.SerializeToNode(obj, obj.GetType(), KubernetesJsonContext.Default)
        ?? throw new InvalidOperationException("an object serialised to null");

    public static void Write(TextWriter output, IReadOnlyList<IKubernetesObject> objects, OutputFormat format) =>
        Write(output, objects.Select(ToNode).ToList(), format);

    /// <summary>Objects already in JSON form (kinds we have no typed model for, such as a PodMonitor).</summary>
    public static void Write(TextWriter output, IReadOnlyList<JsonNode> nodes, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            var list = nodes.Count == 1 ? nodes[0] : new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "List",
                ["items"] = new JsonArray([.. nodes]),
            };
            output.WriteLine(list.ToJsonString(Indented));
        }
        else
        {
            output.Write(YamlWriter.WriteAll(nodes));
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, TypeInfoResolver = KubernetesJsonContext.Default };
}
