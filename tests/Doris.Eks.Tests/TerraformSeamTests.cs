using System.Text;
using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;
using Doris.Eks.Instances;
using Doris.Eks.Planning;
using Doris.Kubernetes.Schema;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Eks.Tests;

/// <summary>
/// The plan's terraform.tfvars.json fed to terraform-aws-eks v21.19.0's own variables and templates through
/// Terraform: every input is declared and kept, and the user data each node would get (the module's template
/// plus our parts) parses as nodeadm and Bottlerocket read it.
/// </summary>
public sealed class TerraformSeamTests
{
    // Every example blueprint, as it is and in the other node OS, through the Terraform path (cluster-autoscaler).
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var file in Blueprints.Examples)
        {
            foreach (var os in new[] { "AL2023", "Bottlerocket" })
            {
                cases.Add(Path.GetFileName(file), os);
            }
        }

        return cases;
    }

    private static (Blueprint Blueprint, JsonObject Vars) Plan(string example, string os)
    {
        var (blueprint, issues) = Blueprints.Read(File.ReadAllText(Path.Combine(SharedFiles.RepositoryRoot, "examples", "eks", example)));
        blueprint.ShouldNotBeNull(string.Join("\n", issues));
        var b = blueprint! with { NodeOs = os, Autoscaler = "cluster-autoscaler", AmiAlias = null };
        var plan = EksPlanner.Plan(b, InstanceCatalog.Default);
        return (b, JsonNode.Parse(plan.Artefacts.Single(a => a.Path == "terraform.tfvars.json").Content)!.AsObject());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tfvars_ThroughTheModulesVariables_EveryInputDeclaredAndKept(string example, string os)
    {
        var (_, vars) = Plan(example, os);
        using var terraform = new Terraform(vars.ToJsonString());

        var groups = terraform.Evaluate("var.self_managed_node_groups").AsObject();

        terraform.Diagnostics.ShouldNotContain("undeclared variable", Case.Insensitive, "v21 names its inputs name and kubernetes_version");
        foreach (var key in vars.Select(v => v.Key).Where(k => k != "self_managed_node_groups"))
        {
            terraform.Evaluate($"var.{key}").ToJsonString().ShouldNotBe("null", $"{key} is dropped");
        }

        foreach (var (name, ours) in vars["self_managed_node_groups"]!.AsObject())
        {
            Dropped(ours!, groups[name]!, name).ShouldBeEmpty("Terraform drops attributes a variable's object type does not declare");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void UserData_RenderedByTheModule_ParsesAsTheNodeReadsIt(string example, string os)
    {
        var (_, vars) = Plan(example, os);
        using var terraform = new Terraform(vars.ToJsonString());
        foreach (var (name, group) in vars["self_managed_node_groups"]!.AsObject())
        {
            if (os == "AL2023")
            {
                // The module's nodeadm_cloudinit: our parts, then its NodeConfig with the cluster connection.
                var parts = terraform.Evaluate($"concat(var.self_managed_node_groups[\"{name}\"].cloudinit_pre_nodeadm, [{{content_type = \"application/node.eks.aws\", content = {Template("al2023_user_data.tpl", "\"\"")}}}])").AsArray();
                CheckNodeadm(parts, group!, name);
            }
            else
            {
                var toml = terraform.Evaluate(Template("bottlerocket_user_data.tpl", $"var.self_managed_node_groups[\"{name}\"].bootstrap_extra_args")).GetValue<string>();
                CheckBottlerocket(toml, group!, name);
                group!["block_device_mappings"]!["xvdb"]!["device_name"]!.GetValue<string>().ShouldBe("/dev/xvdb", "Bottlerocket keeps images and pod data on its second volume");
            }
        }
    }

    // NTH in queue mode reads the instance's tags; the module propagates `tags` to instances, not autoscaling_group_tags.
    [Theory]
    [MemberData(nameof(Cases))]
    public void NthManagedTag_ReachesTheInstances(string example, string os)
    {
        var (_, vars) = Plan(example, os);
        foreach (var (name, group) in vars["self_managed_node_groups"]!.AsObject())
        {
            group!["tags"]?["aws-node-termination-handler/managed"]?.GetValue<string>().ShouldBe("true", name);
            (group["autoscaling_group_tags"]?.AsObject().ContainsKey("aws-node-termination-handler/managed") ?? false).ShouldBeFalse(name);
            group["tags"]!["team"].ShouldNotBeNull("cost allocation by team");
        }
    }

    // templatefile() over the module's own template, with what the module passes for a self-managed group.
    private static string Template(string file, string extraArgs) =>
        $"templatefile(\"{Terraform.Module("templates", file)}\", {{ enable_bootstrap_user_data = true, cluster_name = var.name, " +
        $"cluster_endpoint = \"https://0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com\", cluster_auth_base64 = \"{Convert.ToBase64String(Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))}\", " +
        $"cluster_service_cidr = \"172.20.0.0/16\", cluster_ip_family = \"ipv4\", cluster_dns_ips = \"[\\\"172.20.0.10\\\"]\", " +
        $"bootstrap_extra_args = {extraArgs}, pre_bootstrap_user_data = \"\", post_bootstrap_user_data = \"\" }})";

    // nodeadm's CRD as published, except one rendering artefact: its inline documents (kubelet.config,
    // containerd.baseRuntimeSpec) are Go maps of runtime.RawExtension, which decode any JSON value (AWS documents
    // `maxPods: 110` there), while controller-gen writes each value as `type: object`.
    private static readonly Lazy<JsonObject> NodeConfigSchema = new(() =>
    {
        var schema = YamlReader.Read(File.ReadAllText(SharedFiles.Reference("eks", "upstream-schemas", "nodeconfig-crd.yaml")), "nodeconfig-crd.yaml").Single().Root!["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
        foreach (var raw in Descendants(schema).Where(o => o["additionalProperties"] is JsonObject a && (bool?)a["x-kubernetes-preserve-unknown-fields"] == true).Select(o => o["additionalProperties"]!.AsObject()).ToList())
        {
            raw.Remove("type");
        }

        return schema;
    });

    private static IEnumerable<JsonObject> Descendants(JsonNode node) => node switch
    {
        JsonObject o => [o, .. o.Select(kv => kv.Value).OfType<JsonNode>().SelectMany(Descendants)],
        JsonArray a => a.OfType<JsonNode>().SelectMany(Descendants),
        _ => [],
    };

    // nodeadm reads every application/node.eks.aws part, validates it and decodes the CA; the merge must name the cluster.
    private static void CheckNodeadm(JsonArray parts, JsonNode group, string name)
    {
        var configs = parts.Where(p => (string?)p!["content_type"] == "application/node.eks.aws")
            .SelectMany(p => YamlReader.Read(p!["content"]!.GetValue<string>(), name).Select(d => d.Root).OfType<JsonObject>()).ToList();
        configs.Count.ShouldBeGreaterThanOrEqualTo(2, name);
        foreach (var config in configs)
        {
            new SchemaValidator().Validate(config, NodeConfigSchema.Value).Select(v => v.ToString()).ShouldBeEmpty(name);
            if (config["spec"]?["cluster"]?["certificateAuthority"] is { } ca)
            {
                Should.NotThrow(() => Convert.FromBase64String(ca.GetValue<string>()), $"{name}: nodeadm base64-decodes certificateAuthority");
            }
        }

        configs.Count(c => c["spec"]?["cluster"] is not null).ShouldBe(1, $"{name}: one part names the cluster (the module's)");
        var flags = configs.SelectMany(c => c["spec"]?["kubelet"]?["flags"]?.AsArray() ?? []).Select(f => f!.GetValue<string>()).ToList();
        flags.ShouldContain(f => f.StartsWith("--node-labels=", StringComparison.Ordinal) && f.Contains("node.spotmax/team=", StringComparison.Ordinal), name);
        configs.Select(c => c["spec"]?["kubelet"]?["config"]?["maxPods"]).OfType<JsonNode>().ShouldNotBeEmpty(name);
        group["cloudinit_pre_nodeadm"].ShouldNotBeNull();
    }

    private static readonly Lazy<JsonObject> BottlerocketKeys = new(() => JsonNode.Parse(File.ReadAllText(SharedFiles.Reference("eks", "upstream-schemas", "bottlerocket", "keys.json")))!.AsObject());

    // Bottlerocket parses the whole user data as TOML (Python's tomllib here) and knows only its documented settings.
    private static void CheckBottlerocket(string toml, JsonNode group, string name)
    {
        var (code, output, error) = Tool.RunAsync(Python.Executable, ["-c", "import sys, tomllib, json; print(json.dumps(tomllib.loads(sys.argv[1])))", toml]).GetAwaiter().GetResult();
        code.ShouldBe(0, $"{name}: the user data is not TOML: {error}\n{toml}");
        var settings = JsonNode.Parse(output)!["settings"]!.AsObject();
        var kubernetes = settings["kubernetes"]!;
        ((string?)kubernetes["cluster-name"]).ShouldNotBeNullOrEmpty(name);
        kubernetes["max-pods"]!.GetValue<int>().ShouldBeGreaterThan(0, name);
        group["bootstrap_extra_args"].ShouldNotBeNull();
        kubernetes["node-labels"]!["node.spotmax/team"].ShouldNotBeNull(name);
        foreach (var path in Leaves(settings, string.Empty))
        {
            Documented(path).ShouldBeTrue($"{name}: settings.{path} is not a Bottlerocket setting");
        }
    }

    private static bool Documented(string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || BottlerocketKeys.Value[path[..dot]] is not JsonObject keys)
        {
            return false;
        }

        var rest = path[(dot + 1)..].Split('.');
        return keys.Select(k => k.Key.Split('.')).Any(k => k.Length <= rest.Length && k.Select((segment, i) => segment.StartsWith('<') || segment == rest[i]).All(x => x));
    }

    private static IEnumerable<string> Leaves(JsonNode node, string path) => node is JsonObject map
        ? map.SelectMany(kv => Leaves(kv.Value!, path.Length == 0 ? kv.Key : $"{path}.{kv.Key}"))
        : [path];

    // Attributes of ours that the converted value no longer has (or has as null).
    private static IEnumerable<string> Dropped(JsonNode ours, JsonNode converted, string path)
    {
        if (ours is JsonObject map && converted is JsonObject kept)
        {
            foreach (var (key, value) in map)
            {
                if (!kept.TryGetPropertyValue(key, out var after) || after is null)
                {
                    yield return $"{path}.{key}";
                }
                else
                {
                    foreach (var deeper in Dropped(value!, after, $"{path}.{key}"))
                    {
                        yield return deeper;
                    }
                }
            }
        }
        else if (ours is JsonArray list && converted is JsonArray keptList)
        {
            for (var i = 0; i < Math.Min(list.Count, keptList.Count); i++)
            {
                foreach (var deeper in Dropped(list[i]!, keptList[i]!, $"{path}[{i}]"))
                {
                    yield return deeper;
                }
            }
        }
    }
}

/// <summary>The Terraform path's Pod Identity roles: HCL Terraform itself accepts, naming files and ServiceAccounts the plan has.</summary>
public sealed class TerraformPodIdentityTests
{
    [Fact]
    public async Task PodIdentityTf_TerraformParsesIt_AndItsFilesAndServiceAccountsExist()
    {
        var plan = Blueprints.Plan(Path.Combine(SharedFiles.RepositoryRoot, "examples", "eks", "kmax-spot.yaml"));
        var hcl = plan.Artefacts.Single(a => a.Path == "pod-identity.tf").Content;
        var dir = Directory.CreateTempSubdirectory("tf-fmt-").FullName;
        File.WriteAllText(Path.Combine(dir, "pod-identity.tf"), hcl);

        // fmt parses the HCL (no providers needed) and -check fails on anything not in canonical form.
        var (code, output, error) = await Tool.RunAsync(Terraform.Executable, ["fmt", "-check", "-diff", dir]);

        code.ShouldBe(0, output + error);
        foreach (var file in System.Text.RegularExpressions.Regex.Matches(hcl, "path.module}/([^\"]+)\"").Select(m => m.Groups[1].Value))
        {
            plan.Artefacts.ShouldContain(a => a.Path == file, $"{file} is referenced");
        }

        hcl.ShouldContain("service_account = \"aws-node-termination-handler\"");
        plan.Artefacts.Single(a => a.Path == "node-termination-handler-values.yaml").Content.ShouldContain("name: aws-node-termination-handler");
        hcl.ShouldContain("service_account = \"cluster-autoscaler\"");
        hcl.ShouldContain("service_account = \"ebs-csi-controller-sa\"");
    }
}
