using System.Text.Json.Nodes;
using Doris.Kubernetes.Models;

namespace Doris.Kubernetes.Tests;

/// <summary>
/// <see cref="Quantity.Canonical"/> against Kubernetes' own formatter: <c>kubectl set env --local</c> decodes a pod
/// into its Go types and prints it back, which writes every quantity in canonical form (no server needed).
/// </summary>
public sealed class QuantityCanonicalTests
{
    private static readonly string[] Samples =
    [
        "8", "8.0", "2000m", "0.5", "1.5", "500m", "100m", "1500", "1000", "1e3", "15e2", "0.001", "0.0001", "3", "16",
        "250m", "0", "1k", "1024Mi", "1536Mi", "1Gi", "12.5", "7", "0.25", "64", "1.0000000001",
    ];

    [Fact]
    public async Task Canonical_EverySample_IsWhatKubectlPrints()
    {
        var containers = string.Join("\n", Samples.Select((q, i) => $"  - {{name: c{i}, image: i, resources: {{limits: {{cpu: \"{q}\"}}}}}}"));
        var dir = Directory.CreateTempSubdirectory("quantity-").FullName;
        var file = Path.Combine(dir, "pod.yaml");
        await File.WriteAllTextAsync(file, $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: q\nspec:\n  containers:\n{containers}\n");

        var run = await Testing.Tool.RunAsync("kubectl", ["set", "env", "--local", "-f", file, "CANONICAL=1", "-o", "json"]);

        run.Code.ShouldBe(0, run.Error);
        var printed = JsonNode.Parse(run.Out)!["spec"]!["containers"]!.AsArray();
        var mismatches = Samples.Select((q, i) => (Input: q, Kubectl: (string?)printed[i]!["resources"]!["limits"]!["cpu"], Ours: new Quantity(q).Canonical()))
            .Where(x => x.Kubectl != x.Ours).ToList();
        mismatches.ShouldBeEmpty();
    }
}
