using System.Text.Json.Nodes;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Eks.Tests;

/// <summary>
/// Where two of the tools the plan feeds meet: eksctl's Karpenter setup and the EC2NodeClasses, the priority
/// expander and balancing, the placement snippet and the DorisCluster it is merged into. The eksctl facts are the
/// ones recorded from its source in ../shared/reference/eks/README.md.
/// </summary>
public sealed class ToolSeamTests
{
    private static string Example(string name) => Path.Combine(SharedFiles.RepositoryRoot, "examples", "eks", name);

    private static List<JsonObject> Docs(Planning.EksPlan plan, string path) =>
        [.. YamlReader.Read(plan.Artefacts.Single(a => a.Path == path).Content, path).Select(d => d.Root).OfType<JsonObject>()];

    // eksctl's karpenter block creates the node role as eksctl-KarpenterNodeRole-<cluster> and tags the cluster
    // security group karpenter.sh/discovery only when metadata.tags has that key.
    [Fact]
    public void Karpenter_NodeClassesNameEksctlsRoleAndFindTheTaggedSecurityGroup()
    {
        var plan = Blueprints.Plan(Example("karpenter.yaml"));
        var eksctl = Docs(plan, "eksctl-cluster.yaml").Single();
        var cluster = (string)eksctl["metadata"]!["name"]!;

        ((string?)eksctl["metadata"]!["tags"]!["karpenter.sh/discovery"]).ShouldBe(cluster);
        foreach (var nodeClass in Docs(plan, "karpenter.yaml").Where(d => (string?)d["kind"] == "EC2NodeClass"))
        {
            ((string?)nodeClass["spec"]!["role"]).ShouldBe($"eksctl-KarpenterNodeRole-{cluster}");
            ((string?)nodeClass["spec"]!["securityGroupSelectorTerms"]![0]!["tags"]!["karpenter.sh/discovery"]).ShouldBe(cluster);
        }
    }

    // The README promises 1,000,000 open files on BE/CN nodes: on Karpenter AL2023 nodes that is a NodeConfig part
    // in the node class's MIME user data (containerd's base runtime spec), next to the host-tuning script.
    [Fact]
    public void Karpenter_Al2023UserData_CarriesTheOpenFilesLimit()
    {
        var plan = Blueprints.Plan(Example("karpenter.yaml"));
        var tuned = Docs(plan, "karpenter.yaml").Where(d => (string?)d["kind"] == "EC2NodeClass" && d["spec"]!["userData"] is not null).ToList();

        tuned.ShouldNotBeEmpty();
        foreach (var nodeClass in tuned)
        {
            var userData = (string)nodeClass["spec"]!["userData"]!;
            userData.ShouldStartWith("MIME-Version: 1.0");
            userData.ShouldContain("Content-Type: application/node.eks.aws");
            userData.ShouldContain("RLIMIT_NOFILE");
            userData.ShouldContain("soft: 1000000");
            userData.ShouldNotContain("apiServerEndpoint", Case.Sensitive, "Karpenter writes the cluster connection itself");
        }
    }

    // Per-zone siblings share one priority; otherwise the expander always grows the same zone.
    [Fact]
    public void PriorityExpander_ZoneSiblings_ShareOnePriority()
    {
        var plan = Blueprints.Plan(Example("kmax-spot.yaml"));
        var priorities = (string)Docs(plan, "cluster-autoscaler-priority-expander.yaml").Single()["data"]!["priorities"]!;
        var byPriority = YamlReader.Read(priorities, "priorities").Single().Root!.AsObject()
            .ToDictionary(kv => kv.Key, kv => kv.Value!.AsArray().Select(p => (string)p!).ToList());

        var siblings = byPriority.Values.Single(patterns => patterns.Any(p => p.Contains("dsp-16c128g-ondemand-use1a", StringComparison.Ordinal)));
        siblings.Count.ShouldBe(3);
        siblings.ShouldContain(p => p.Contains("use1b", StringComparison.Ordinal));
        siblings.ShouldContain(p => p.Contains("use1c", StringComparison.Ordinal));
        int.Parse(byPriority.Single(kv => kv.Value.Any(p => p.Contains("dsp-8c64g-spot", StringComparison.Ordinal))).Key, System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThan(int.Parse(byPriority.Single(kv => kv.Value.Any(p => p.Contains("dsp-8c64g-ondemand", StringComparison.Ordinal))).Key, System.Globalization.CultureInfo.InvariantCulture));
    }

    // The snippet is merged into a DorisCluster: it may carry only DorisCluster fields.
    [Fact]
    public void Placement_HasOnlyDorisClusterFields()
    {
        var placement = Docs(Blueprints.Plan(Example("kmax-spot.yaml")), "doris-placement.yaml").Single();

        placement.Select(kv => kv.Key).ShouldBe(["spec"]);
        placement["spec"]!.AsObject().Select(kv => kv.Key).ShouldAllBe(k => k == "feSpec" || k == "beSpec" || k == "cnSpec" || k == "brokerSpec");
    }
}

/// <summary>Add-on versions: pinned only where the blueprint says, in both eksctl's and the module's form.</summary>
public sealed class AddonVersionTests
{
    private const string Pinned = Blueprints.Minimal + "addonVersions: {vpc-cni: v1.20.1-eksbuild.1, aws-ebs-csi-driver: v1.48.0-eksbuild.1}\n";

    [Fact]
    public void AddonVersions_Pinned_InEksctlAndTheModulesInputs()
    {
        var (blueprint, issues) = Blueprints.Read(Pinned);
        blueprint.ShouldNotBeNull(string.Join("\n", issues));
        var plan = Planning.EksPlanner.Plan(blueprint!, Instances.InstanceCatalog.Default);

        var eksctl = YamlReader.Read(plan.Artefacts.Single(a => a.Path == "eksctl-cluster.yaml").Content, "e").Single().Root!;
        var addons = eksctl["addons"]!.AsArray().ToDictionary(a => (string)a!["name"]!);
        ((string?)addons["vpc-cni"]!["version"]).ShouldBe("v1.20.1-eksbuild.1");
        addons["coredns"]!["version"].ShouldBeNull("unpinned add-ons take the default");
        var vars = JsonNode.Parse(plan.Artefacts.Single(a => a.Path == "terraform.tfvars.json").Content)!;
        ((string?)vars["addons"]!["aws-ebs-csi-driver"]!["addon_version"]).ShouldBe("v1.48.0-eksbuild.1");
        ((bool?)vars["addons"]!["aws-ebs-csi-driver"]!["most_recent"]).ShouldBe(false);

        // Terraform keeps both attributes through the module's addons variable type.
        using var terraform = new Terraform(vars.ToJsonString());
        var converted = terraform.Evaluate("var.addons[\"aws-ebs-csi-driver\"]");
        ((string?)converted["addon_version"]).ShouldBe("v1.48.0-eksbuild.1");
        ((bool?)converted["most_recent"]).ShouldBe(false);
    }

    [Fact]
    public void AddonVersions_UnknownAddon_IsAnErrorNamingTheField()
    {
        var (blueprint, issues) = Blueprints.Read(Blueprints.Minimal + "addonVersions: {vpc-cn: v1}\n");

        blueprint.ShouldBeNull();
        issues.ShouldContain(i => i.ToString().Contains("addonVersions.vpc-cn", StringComparison.Ordinal) && i.ToString().Contains("vpc-cni", StringComparison.Ordinal));
    }
}
