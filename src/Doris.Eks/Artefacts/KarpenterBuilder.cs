using System.Globalization;
using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;
using Doris.Eks.Planning;

namespace Doris.Eks.Artefacts;

/// <summary>
/// Karpenter v1 NodePools and EC2NodeClasses, one pair per pool. Labels, taints and maxPods go in the
/// NodePool/EC2NodeClass (Karpenter owns them and would override user data); host tuning goes in user data.
/// Stateful pools are only ever emptied, never consolidated, replaced for drift or recycled by expiry.
/// </summary>
public static class KarpenterBuilder
{
    public const string Version = "1.14.0";

    public static IReadOnlyList<JsonObject> Build(Blueprint b, IReadOnlyList<NodeGroupPlan> groups)
    {
        var objects = new List<JsonObject>();
        foreach (var pool in groups.GroupBy(PoolName))
        {
            var g = pool.First();
            var zones = pool.SelectMany(p => p.Zones).Distinct().ToList();
            objects.Add(NodePool(pool.Key, g, zones, pool.Sum(p => p.MaxSize), CpuLimit([.. pool])));
            objects.Add(NodeClass(b, pool.Key, g));
        }

        return objects;
    }

    private static JsonObject NodePool(string name, NodeGroupPlan g, IReadOnlyList<string> zones, int maxNodes, int cpuLimit)
    {
        var requirements = new JsonArray(
            Requirement(Doris.Api.Naming.NodeLabels.KarpenterCapacityType, g.Spot ? "spot" : "on-demand"),
            Requirement("node.kubernetes.io/instance-type", [.. g.Types.Select(t => t.Name)]),
            Requirement("kubernetes.io/arch", g.Base.Architecture),
            Requirement("topology.kubernetes.io/zone", [.. zones]));
        var spec = new JsonObject
        {
            ["nodeClassRef"] = new JsonObject { ["group"] = "karpenter.k8s.aws", ["kind"] = "EC2NodeClass", ["name"] = name },
            ["requirements"] = requirements,
            ["expireAfter"] = g.Stateful ? "Never" : "720h",
            ["terminationGracePeriod"] = "1h",
        };
        if (g.Taints.Count > 0)
        {
            spec["taints"] = new JsonArray([.. g.Taints.Select(t => (JsonNode?)new JsonObject { ["key"] = t.Key, ["value"] = t.Value ?? string.Empty, ["effect"] = t.Effect })]);
        }

        var rules = Disruption(g);
        var disruption = new JsonObject
        {
            ["consolidationPolicy"] = rules.ConsolidationPolicy,
            ["consolidateAfter"] = $"{(int)rules.ConsolidateAfter.TotalMinutes}m",
            ["budgets"] = new JsonArray([.. rules.Budgets.Select(b => (JsonNode?)(b.Reasons is { } reasons
                ? new JsonObject { ["nodes"] = b.Nodes, ["reasons"] = Yaml.Strings(reasons) }
                : new JsonObject { ["nodes"] = b.Nodes }))]),
        };
        return new JsonObject
        {
            ["apiVersion"] = "karpenter.sh/v1",
            ["kind"] = "NodePool",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["weight"] = Weight(g),
                ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = Yaml.Map(g.Labels) }, ["spec"] = spec },
                ["disruption"] = disruption,
                ["limits"] = new JsonObject
                {
                    ["cpu"] = cpuLimit.ToString(CultureInfo.InvariantCulture),
                    ["memory"] = $"{maxNodes * g.Base.MemoryMib / 1024}Gi",
                },
            },
        };
    }

    private static JsonObject NodeClass(Blueprint b, string name, NodeGroupPlan g)
    {
        var bottlerocket = b.NodeOs == "Bottlerocket";
        var alias = b.AmiAlias ?? PlanDefaults.Al2023AmiAlias; // a Bottlerocket blueprint must pin its own (BlueprintRules)
        var ebs = new JsonObject { ["volumeSize"] = $"{g.Pool.VolumeSize ?? PlanDefaults.VolumeSizeGib}Gi", ["volumeType"] = "gp3", ["encrypted"] = true };
        if (b.KmsKeyArn is { } key)
        {
            ebs["kmsKeyID"] = key;
        }

        var devices = new JsonArray(new JsonObject { ["deviceName"] = bottlerocket ? "/dev/xvdb" : "/dev/xvda", ["ebs"] = ebs });
        if (bottlerocket)
        {
            devices.Insert(0, new JsonObject { ["deviceName"] = "/dev/xvda", ["ebs"] = new JsonObject { ["volumeSize"] = "4Gi", ["volumeType"] = "gp3", ["encrypted"] = true } });
        }

        var spec = new JsonObject
        {
            ["amiSelectorTerms"] = new JsonArray(new JsonObject { ["alias"] = alias }),
            ["role"] = NodeRole(b),
            ["subnetSelectorTerms"] = new JsonArray([.. b.Vpc!.Subnets!.Select(s => (JsonNode?)new JsonObject { ["id"] = s.Id })]),
            ["securityGroupSelectorTerms"] = new JsonArray(new JsonObject { ["tags"] = new JsonObject { [DiscoveryTag] = b.Name } }),
            ["tags"] = Yaml.Map(new SortedDictionary<string, string>(StringComparer.Ordinal) { [PlanDefaults.CostTeamTag] = g.Pool.Team ?? "default", ["app.kubernetes.io/managed-by"] = "dorisctl" }),
            ["kubelet"] = new JsonObject { ["maxPods"] = g.MaxPods },
            ["metadataOptions"] = new JsonObject { ["httpTokens"] = "required", ["httpPutResponseHopLimit"] = 1 },
            ["blockDeviceMappings"] = devices,
        };
        if (g.NeedsHostTuning)
        {
            spec["userData"] = bottlerocket ? BottlerocketTuning() : Al2023UserData.KarpenterUserData(g);
        }

        return new JsonObject
        {
            ["apiVersion"] = "karpenter.k8s.aws/v1",
            ["kind"] = "EC2NodeClass",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    /// <summary>The node role eksctl's <c>karpenter</c> block creates (eksctl prefixes it; Karpenter needs the exact name).</summary>
    /// <summary>One pool per team, spec and capacity type: the NodePool's and EC2NodeClass's name.</summary>
    public static string PoolName(NodeGroupPlan g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return $"{g.Pool.Team}-{g.Pool.Spec}-{(g.Spot ? "spot" : "ondemand")}";
    }

    /// <summary>A pool's <c>limits.cpu</c>: its groups' planned maximum sizes in nodes of the base type.</summary>
    public static int CpuLimit(IReadOnlyList<NodeGroupPlan> pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Sum(p => p.MaxSize) * pool[0].Base.Vcpu;
    }

    /// <summary>Spot pools weigh more, so Karpenter tries them first for pods that tolerate Spot.</summary>
    public static int Weight(NodeGroupPlan g) => g?.Spot == true ? 50 : 10;

    /// <summary>
    /// How a pool may be disrupted: stateful pools only lose empty nodes, one at a time, after 30 minutes (never for
    /// underutilisation or drift); stateless pools consolidate after 5 minutes, at most 10% of their nodes at once.
    /// </summary>
    public static PoolDisruption Disruption(NodeGroupPlan g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return g.Stateful
            ? new PoolDisruption("WhenEmpty", TimeSpan.FromMinutes(30), [new PoolBudget("0", ["Underutilized", "Drifted"]), new PoolBudget("1", null)])
            : new PoolDisruption("WhenEmptyOrUnderutilized", TimeSpan.FromMinutes(5), [new PoolBudget("10%", null)]);
    }

    public static string NodeRole(Blueprint b) => $"eksctl-KarpenterNodeRole-{b.Name}";

    /// <summary>The tag eksctl puts on the cluster security group when metadata.tags has it, and the node classes select by.</summary>
    public const string DiscoveryTag = "karpenter.sh/discovery";

    private static string BottlerocketTuning() =>
        $"[settings.kernel.sysctl]\n\"vm.max_map_count\" = \"{HostTuning.MaxMapCount}\"\n\n[settings.boot]\nreboot-to-reconcile = true\n\n[settings.boot.kernel-parameters]\n\"transparent_hugepage\" = [\"never\"]\n\n"
        + $"[settings.oci-defaults.resource-limits.max-open-files]\nsoft-limit = {HostTuning.OpenFiles}\nhard-limit = {HostTuning.OpenFiles}\n";

    private static JsonObject Requirement(string key, params string[] values) =>
        new() { ["key"] = key, ["operator"] = "In", ["values"] = Yaml.Strings(values) };
}

/// <summary>A NodePool's <c>spec.disruption</c>.</summary>
public sealed record PoolDisruption(string ConsolidationPolicy, TimeSpan ConsolidateAfter, IReadOnlyList<PoolBudget> Budgets);

/// <summary>One disruption budget: a node count or percentage, for the listed reasons (all reasons when null).</summary>
public sealed record PoolBudget(string Nodes, IReadOnlyList<string>? Reasons);
