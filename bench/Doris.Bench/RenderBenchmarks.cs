using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Doris.Api.Validation;
using Doris.Desired;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;

namespace Doris.Bench;

/// <summary>
/// The render pipeline a reconcile runs per cluster (build desired objects) and the one `dorisctl
/// render` runs per file (parse, validate, build, write), on the smallest and the largest example.
/// </summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private string _yaml = string.Empty;
    private Api.V1.DorisCluster _cluster = null!;
    private Dictionary<string, ConfigMap> _configMaps = null!;

    [Params("minimal", "production")]
    public string Example { get; set; } = "minimal";

    [GlobalSetup]
    public void Setup()
    {
        _yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", Example + ".yaml"));
        _configMaps = new Dictionary<string, ConfigMap>(StringComparer.Ordinal);
        foreach (var doc in YamlReader.Read(_yaml, Example))
        {
            if ((string?)doc.Root?["kind"] == "ConfigMap")
            {
                var cm = doc.Root.Deserialize(KubernetesJsonContext.Default.ConfigMap)!;
                _configMaps[cm.Metadata!.Name!] = cm;
            }
            else
            {
                _cluster = DorisClusterReader.Read(doc).Cluster!;
            }
        }
    }

    /// <summary>What the operator does per reconcile: pure desired-state build, no I/O.</summary>
    [Benchmark]
    public int BuildDesired() => DesiredClusterBuilder.Build(_cluster, _configMaps).Objects.Count;

    /// <summary>Read and validate one manifest (YAML, CRD schema, semantic rules).</summary>
    [Benchmark]
    public int ReadAndValidate() => YamlReader.Read(_yaml, Example).Count(d => (string?)d.Root?["kind"] == "DorisCluster" && !DorisClusterReader.Read(d).HasErrors);

    /// <summary>The whole of `dorisctl render` minus process start: read, validate, build, write YAML.</summary>
    [Benchmark]
    public int RenderToYaml()
    {
        ReadAndValidate();
        var objects = DesiredClusterBuilder.Build(_cluster, _configMaps).Objects;
        return YamlWriter.WriteAll(objects.Select(o => (JsonNode?)JsonSerializer.SerializeToNode(o, o.GetType(), KubernetesJsonContext.Default))).Length;
    }
}
