using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Desired.Tests;

/// <summary>Test helpers: read a manifest file (DorisCluster plus ConfigMaps) and render it.</summary>
internal static class Render
{
    /// <summary>The start of a DorisCluster named c (no namespace), for tests that write only the spec.</summary>
    public const string Head = "apiVersion: doris.selectdb.com/v1\nkind: DorisCluster\nmetadata: {name: c}\nspec:\n";

    public static (DorisCluster Cluster, Dictionary<string, ConfigMap> ConfigMaps) Load(string file)
    {
        DorisCluster? cluster = null;
        var configMaps = new Dictionary<string, ConfigMap>(StringComparer.Ordinal);
        foreach (var doc in YamlReader.Read(System.IO.File.ReadAllText(file), Path.GetFileName(file)))
        {
            switch ((string?)doc.Root?["kind"])
            {
                case "DorisCluster":
                    cluster = doc.Root.Deserialize(DorisApiJsonContext.Default.DorisCluster);
                    break;
                case "ConfigMap":
                    var cm = doc.Root.Deserialize(KubernetesJsonContext.Default.ConfigMap)!;
                    configMaps[cm.Metadata!.Name!] = cm;
                    break;
            }
        }

        return (cluster ?? throw new InvalidOperationException($"{file} has no DorisCluster"), configMaps);
    }

    public static DesiredCluster File(string file)
    {
        var (cluster, configMaps) = Load(file);
        return DesiredClusterBuilder.Build(cluster, configMaps);
    }

    public static DesiredCluster Yaml(string yaml, params ConfigMap[] configMaps)
    {
        var cluster = YamlReader.Read(yaml, "t.yaml")[0].Root.Deserialize(DorisApiJsonContext.Default.DorisCluster)!;
        return DesiredClusterBuilder.Build(cluster, configMaps.ToDictionary(c => c.Metadata!.Name!, StringComparer.Ordinal));
    }

    public static JsonObject Node(IKubernetesObject obj) => (JsonObject)JsonSerializer.SerializeToNode(obj, obj.GetType(), KubernetesJsonContext.Default)!;

    public static string ToYaml(DesiredCluster desired) => YamlWriter.WriteAll(desired.Objects.Select(o => (JsonNode?)Node(o)));

    public static T Get<T>(this DesiredCluster desired, string name)
        where T : IKubernetesObject => desired.Objects.OfType<T>().Single(o => o.Metadata!.Name == name);

    public static Container MainContainer(this StatefulSet sts) => sts.Spec!.Template!.Spec!.Containers!.Single();

    public static string? Env(this Container c, string name) => c.Env!.Single(e => e.Name == name).Value;
}
