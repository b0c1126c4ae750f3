using System.Text.Json;
using Doris.Api.Serialization;
using Doris.Api.V1;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Sandbox;
using Doris.Simulation.Cluster;

namespace Doris.Bench;

/// <summary>The fleet, the cluster template and the unrelated pods every operator-scale benchmark shares.</summary>
internal static class OperatorFleet
{
    /// <summary>Enough 16-vCPU nodes for two 2-CPU pods per cluster (seven fit a node), plus three spare.</summary>
    public static IReadOnlyList<NodeShape> Nodes(int clusters)
    {
        var nodes = (int)Math.Ceiling(clusters * 2 / 7.0) + 3;
        return [.. Enumerable.Range(0, nodes).Select(i => new NodeShape($"ip-10-1-{i / 250}-{i % 250}.ec2.internal", $"us-east-1{(char)('a' + (i % 3))}", "r6i.4xlarge", false, 16, 128, 234))];
    }

    public static DorisCluster Minimal()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "minimal.yaml"));
        return YamlReader.Read(text, "minimal.yaml")[0].Root.Deserialize(DorisApiJsonContext.Default.DorisCluster)!;
    }

    /// <summary>Pods of other teams, bound to a node outside the simulated fleet, so only the operator's informers see them.</summary>
    public static void AddUnrelatedPods(SandboxEnvironment env, int count)
    {
        var store = env.Cluster.Store;
        for (var i = 0; i < count; i++)
        {
            store.Create(TypedStore.Pods, KubernetesJsonContext.Default.Pod, "other-team", new Pod
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Metadata = new ObjectMeta { Name = $"web-{i:00000}", Namespace = "other-team", Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new PodSpec { NodeName = "elsewhere", Containers = [new Container { Name = "web", Image = "nginx:1.27" }] },
                Status = new PodStatus { Phase = "Running" },
            });
        }
    }

    /// <summary>Writes a rendered child straight to the store (no HTTP): for benchmarks of the simulation alone.</summary>
    public static void Create(TypedStore store, IKubernetesObject child)
    {
        var ns = child.Metadata!.Namespace;
        _ = child switch
        {
            StatefulSet s => (object)store.Create(TypedStore.StatefulSets, KubernetesJsonContext.Default.StatefulSet, ns, s),
            Service s => store.Create(Builtin("", "services"), KubernetesJsonContext.Default.Service, ns, s),
            PodDisruptionBudget p => store.Create(TypedStore.Budgets, KubernetesJsonContext.Default.PodDisruptionBudget, ns, p),
            _ => throw new InvalidOperationException($"the step benchmark does not create {child.Kind}"),
        };
    }

    private static Doris.Kubernetes.Emulator.Storage.ResourceType Builtin(string group, string plural) =>
        new Doris.Kubernetes.Emulator.Registry.ResourceRegistry().Find(group, "v1", plural)!;
}
