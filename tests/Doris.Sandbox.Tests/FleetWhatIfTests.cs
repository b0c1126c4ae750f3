using System.Text.Json.Nodes;
using Doris.Eks.Artefacts;
using Doris.Eks.Instances;
using Doris.Eks.Planning;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Serialization;
using Doris.Simulation.Cluster;
using Doris.Simulation.Time;
using Doris.Testing;

namespace Doris.Sandbox.Tests;

/// <summary>The simulated Karpenter keeps the NodePools' own rules, and the what-if counts addresses as the VPC CNI holds them.</summary>
public sealed class FleetWhatIfTests
{
    private static (Doris.Eks.Blueprints.Blueprint Blueprint, EksPlan Plan) Plan(string file)
    {
        var yaml = File.ReadAllText(Path.Combine(SharedFiles.RepositoryRoot, "examples", "eks", file));
        var (blueprint, issues) = Doris.Eks.Blueprints.BlueprintReader.Read(YamlReader.Read(yaml, file).Single(), InstanceCatalog.Default);
        blueprint.ShouldNotBeNull(string.Join("\n", issues));
        return (blueprint!, EksPlanner.Plan(blueprint!, InstanceCatalog.Default));
    }

    // The simulation reads the planner's facts, and the planner writes them into the NodePools Karpenter reads:
    // every pool, weight, CPU limit, consolidateAfter and budget in the YAML is what the simulated pool obeys.
    [Fact]
    public void PlannedKarpenterPools_SimulatedRules_SameAsTheNodePoolsWritten()
    {
        var (blueprint, plan) = Plan("karpenter.yaml");
        var pools = KarpenterBuilder.Build(blueprint, plan.Groups).Where(o => (string?)o["kind"] == "NodePool").ToList();
        var shapes = PlannedFleet.From(blueprint, plan).ToDictionary(s => s.Name);

        shapes.Keys.Order().ShouldBe(pools.Select(p => (string)p["metadata"]!["name"]!).Order());
        foreach (var pool in pools)
        {
            var shape = shapes[(string)pool["metadata"]!["name"]!];
            var spec = pool["spec"]!;
            shape.Priority.ShouldBe((int)spec["weight"]!);
            shape.CpuLimit.ShouldBe(int.Parse((string)spec["limits"]!["cpu"]!, System.Globalization.CultureInfo.InvariantCulture));
            shape.EmptyFor.ShouldBe(GoDuration((string)spec["disruption"]!["consolidateAfter"]!));
            var budgets = spec["disruption"]!["budgets"]!.AsArray().Select(b => new NodeDisruptionBudget((string)b!["nodes"]!, b["reasons"]?.AsArray().Select(r => (string)r!).ToList())).ToList();
            shape.Budgets.Select(b => $"{b.Nodes}:{string.Join(",", b.Reasons ?? [])}").ShouldBe(budgets.Select(b => $"{b.Nodes}:{string.Join(",", b.Reasons ?? [])}"));
            var requirements = spec["template"]!["spec"]!["requirements"]!.AsArray();
            var types = requirements.Single(r => (string?)r!["key"] == "node.kubernetes.io/instance-type")!["values"]!.AsArray().Select(v => (string)v!);
            shape.Types.Select(t => t.Name).ShouldBe(types);
        }
    }

    // Karpenter's budget rule: the smallest budget naming the reason (or none), percentages rounded up.
    [Theory]
    [InlineData(false, "Empty", 19, 2)]
    [InlineData(false, "Underutilized", 10, 1)]
    [InlineData(false, "Empty", 0, 0)]
    [InlineData(true, "Empty", 7, 1)]
    [InlineData(true, "Underutilized", 7, 0)]
    [InlineData(true, "Drifted", 7, 0)]
    public void AllowedDisruptions_PlannedBudgets_KarpenterRounding(bool stateful, string reason, int nodes, int allowed)
    {
        var (_, plan) = Plan("karpenter.yaml");
        var group = plan.Groups.First(g => g.Stateful == stateful);
        var shape = new NodeGroupShape("p", ["a"], [], false, "t", 0, 1, 1) { Budgets = [.. KarpenterBuilder.Disruption(group).Budgets.Select(b => new NodeDisruptionBudget(b.Nodes, b.Reasons))] };

        shape.AllowedDisruptions(reason, nodes).ShouldBe(allowed);
    }

    // A stateful pool's budget allows one disruption at a time: three empty nodes go one step after another.
    [Fact]
    public async Task KarpenterStatefulPool_ThreeEmptyNodes_RemovedOneAtATime()
    {
        var (blueprint, plan) = Plan("karpenter.yaml");
        var pool = PlannedFleet.From(blueprint, plan).First(s => !s.Spot && s.Budgets.Any(b => b.Nodes == "1"));
        var clock = new SimulatedClock();
        await using var env = await SandboxEnvironment.StartAsync(new SandboxOptions { Time = clock, Tls = false, Fleet = [pool] }, default);
        var cluster = env.Cluster;
        var big = pool.Types.Max(t => t.AllocatableCpuMilli) * 6 / 10; // more than half the largest type: one pod per node
        for (var i = 0; i < 3; i++)
        {
            cluster.Store.Create(TypedStore.Pods, KubernetesJsonContext.Default.Pod, "default", Pod($"p{i}", pool, big));
        }

        for (var i = 0; i < 30 && Scheduled(cluster) < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            cluster.Step();
        }

        Nodes(cluster).ShouldBe(3);
        foreach (var name in new[] { "p0", "p1", "p2" })
        {
            cluster.Store.TryDelete(TypedStore.Pods, "default", name);
        }

        var counts = new List<int>();
        for (var i = 0; i < 80 && Nodes(cluster) > 0; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            cluster.Step();
            counts.Add(Nodes(cluster));
        }

        counts.ShouldContain(2);
        counts.ShouldContain(1);
        counts.Last().ShouldBe(0, "consolidateAfter passed: every empty node goes in the end");
        counts.Zip(counts.Skip(1)).ShouldAllBe(p => p.First - p.Second <= 1);
        cluster.Autoscaler!.BudgetBlocked[pool.Name].ShouldBeGreaterThan(0);
    }

    // Addresses a node holds: at its pod limit in prefix mode exactly the plan's worst case; in secondary-IP mode one
    // warm ENI beyond what the pods use, and never more than the plan's worst case.
    [Fact]
    public void IpsInUse_FromEmptyToFull_GrowsToThePlannedWorstCase()
    {
        foreach (var type in new[] { "m7a.2xlarge", "r7a.4xlarge", "c6i.large" }.Select(n => InstanceCatalog.Default.Find(n)!))
        {
            var maxPods = type.Enis * (type.Ipv4PerEni - 1) + 2;
            IpPlanner.IpsInUse(type, maxPods, true).ShouldBe(IpPlanner.IpsPerNode(type, maxPods, true));
            IpPlanner.IpsInUse(type, 1, false).ShouldBe(2 * type.Ipv4PerEni, "the ENI in use and one warm");
            IpPlanner.IpsInUse(type, 0, true).ShouldBe(16 + 1, "one warm /28 and the primary ENI's address");
            var previous = 0;
            foreach (var pods in Enumerable.Range(0, maxPods + 1))
            {
                foreach (var prefix in new[] { true, false })
                {
                    IpPlanner.IpsInUse(type, pods, prefix).ShouldBeLessThanOrEqualTo(IpPlanner.IpsPerNode(type, maxPods, prefix));
                }

                var now = IpPlanner.IpsInUse(type, pods, false);
                now.ShouldBeGreaterThanOrEqualTo(previous);
                previous = now;
            }
        }
    }

    private static Pod Pod(string name, NodeGroupShape pool, int cpuMilli) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta { Name = name, Namespace = "default", CreationTimestamp = DateTimeOffset.UnixEpoch },
        Spec = new PodSpec
        {
            NodeSelector = pool.Labels.ToDictionary(),
            Tolerations = [.. pool.Taints.Select(t => new Toleration { Key = t.Key, Value = t.Value, Effect = t.Effect, Operator = "Equal" })],
            Containers = [new Container { Name = "c", Image = "x", Resources = new ResourceRequirements { Requests = new Dictionary<string, Quantity> { ["cpu"] = $"{cpuMilli}m" } } }],
        },
    };

    private static int Scheduled(SimulatedCluster c) => c.Store.List(TypedStore.Pods, KubernetesJsonContext.Default.Pod).Count(p => p.Spec?.NodeName is not null);

    private static int Nodes(SimulatedCluster c) => c.Store.List(TypedStore.Nodes, KubernetesJsonContext.Default.Node).Count;

    private static TimeSpan GoDuration(string text) => text[^1] switch
    {
        'm' => TimeSpan.FromMinutes(int.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture)),
        'h' => TimeSpan.FromHours(int.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new FormatException(text),
    };
}
