using System.Text.Json.Nodes;
using Doris.Cli.Commands;
using Doris.Cli.Output;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Cli.Tests;

/// <summary>
/// The kubebuilder-style tree under config/ (crd, rbac, manager, default, an overlay for one namespace), rendered by
/// the real <c>kubectl kustomize</c>, is exactly what <c>dorisctl install</c> prints. Its resource files are written
/// from the install objects with UPDATE_GOLDEN=1 (the kustomization.yaml files are kept by hand).
/// </summary>
public sealed class KustomizeConfigTests
{
    private static readonly string Config = Path.Combine(SharedFiles.RepositoryRoot, "config");
    private const string WatchedNamespace = "doris";

    // Where each object of the install lives in the tree, by kind and name.
    private static readonly Dictionary<(string Kind, string Name), string> Default = new()
    {
        [("CustomResourceDefinition", "dorisclusters.doris.selectdb.com")] = "crd/bases/doris.selectdb.com_dorisclusters.yaml",
        [("CustomResourceDefinition", "dorisdisaggregatedclusters.disaggregated.cluster.doris.com")] = "crd/bases/disaggregated.cluster.doris.com_dorisdisaggregatedclusters.yaml",
        [("Namespace", "doris-system")] = "manager/namespace.yaml",
        [("Deployment", "dorisctl-operator")] = "manager/manager.yaml",
        [("ServiceAccount", "dorisctl-operator")] = "rbac/base/service_account.yaml",
        [("Role", "dorisctl-operator-leader-election")] = "rbac/base/leader_election_role.yaml",
        [("RoleBinding", "dorisctl-operator-leader-election")] = "rbac/base/leader_election_role_binding.yaml",
        [("ClusterRole", "dorisctl-operator")] = "rbac/cluster/role.yaml",
        [("ClusterRoleBinding", "dorisctl-operator")] = "rbac/cluster/role_binding.yaml",
    };

    private static readonly Dictionary<(string Kind, string Name), string> SingleNamespace = new()
    {
        [("ClusterRole", "dorisctl-operator-nodes")] = "rbac/namespace/nodes_role.yaml",
        [("ClusterRoleBinding", "dorisctl-operator-nodes")] = "rbac/namespace/nodes_role_binding.yaml",
        [("Role", "dorisctl-operator")] = "rbac/namespace/role.yaml",
        [("RoleBinding", "dorisctl-operator")] = "rbac/namespace/role_binding.yaml",
    };

    private static List<JsonObject> Install(string? watch) =>
        [.. InstallManifests.Build("doris-system", "dorisctl:0.1.0", watch).Select(o => ObjectWriter.ToNode(o).AsObject())];

    // What `install --monitoring` adds, by file under config/monitoring.
    private static readonly Dictionary<string, JsonObject> Monitoring = new()
    {
        ["monitoring/operator_podmonitor.yaml"] = Doris.Cli.Monitoring.MonitoringManifests.OperatorPodMonitor("doris-system", new Dictionary<string, string>()),
        ["monitoring/grafana_dashboard_configmap.yaml"] = Doris.Cli.Monitoring.MonitoringManifests.DashboardConfigMap("doris-system"),
    };

    private static (string Kind, string Name) Id(JsonObject o) => ((string)o["kind"]!, (string)o["metadata"]!["name"]!);

    // Both renders rewrite the tree under UPDATE_GOLDEN=1; once, before either reads it.
    private static readonly Lazy<bool> UpdateOnce = new(() =>
    {
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            WriteTree();
        }

        return true;
    });

    private static void WriteTree()
    {
        foreach (var (file, obj) in Monitoring)
        {
            File.WriteAllText(Path.Combine(Config, file), YamlWriter.WriteAll([obj]));
        }

        foreach (var obj in Install(null))
        {
            File.WriteAllText(Path.Combine(Config, Default[Id(obj)]), YamlWriter.WriteAll([obj]));
        }

        foreach (var obj in Install(WatchedNamespace))
        {
            if (SingleNamespace.TryGetValue(Id(obj), out var file))
            {
                File.WriteAllText(Path.Combine(Config, file), YamlWriter.WriteAll([obj]));
            }
            else if (Id(obj) == ("Deployment", "dorisctl-operator"))
            {
                // Only the operator's arguments differ: a strategic-merge patch replaces the container's args.
                var container = obj["spec"]!["template"]!["spec"]!["containers"]![0]!;
                var patch = new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "Deployment",
                    ["metadata"] = new JsonObject { ["name"] = "dorisctl-operator", ["namespace"] = "doris-system" },
                    ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = container["name"]!.DeepClone(), ["args"] = container["args"]!.DeepClone() }) } } },
                };
                File.WriteAllText(Path.Combine(Config, "overlays/single-namespace/manager_args_patch.yaml"), YamlWriter.WriteAll([patch]));
            }
        }
    }

    private static async Task ShouldRenderAs(string dir, List<JsonObject> expected)
    {
        var (code, output, error) = await Tool.RunAsync("kubectl", ["kustomize", Path.Combine(Config, dir)]);
        code.ShouldBe(0, error);
        var rendered = YamlReader.Read(output, dir).Select(d => d.Root!.AsObject()).ToList();
        string Key(JsonObject o) => $"{o["kind"]}/{o["metadata"]?["namespace"]}/{o["metadata"]!["name"]}";
        rendered.Select(Key).Order(StringComparer.Ordinal).ShouldBe(expected.Select(Key).Order(StringComparer.Ordinal), $"kubectl kustomize config/{dir}: the same objects as dorisctl install");
        foreach (var want in expected)
        {
            var got = rendered.Single(r => Key(r) == Key(want));
            JsonNode.DeepEquals(got, want).ShouldBeTrue($"{Key(want)} differs between kubectl kustomize config/{dir} and dorisctl install; run the tests with UPDATE_GOLDEN=1 to rewrite config/ and review the diff");
        }
    }

    [Fact]
    public async Task KubectlKustomize_ConfigDefault_RendersExactlyWhatInstallPrints()
    {
        UpdateOnce.Value.ShouldBeTrue();

        await ShouldRenderAs("default", Install(null));
    }

    [Fact]
    public async Task KubectlKustomize_SingleNamespaceOverlay_RendersWhatInstallWithWatchNamespacePrints()
    {
        UpdateOnce.Value.ShouldBeTrue();

        await ShouldRenderAs("overlays/single-namespace", Install(WatchedNamespace));
    }

    [Fact]
    public async Task KubectlKustomize_MonitoringOverlay_RendersWhatInstallWithMonitoringPrints()
    {
        UpdateOnce.Value.ShouldBeTrue();

        await ShouldRenderAs("overlays/monitoring", [.. Install(null), .. Monitoring.Values]);
    }

    [Fact]
    public async Task KubectlKustomize_SetImage_ChangesOnlyTheOperatorImage()
    {
        var work = Directory.CreateTempSubdirectory("kustomize-image-").FullName;
        await File.WriteAllTextAsync(Path.Combine(work, "kustomization.yaml"),
            $"resources:\n- {Path.GetRelativePath(work, Path.Combine(Config, "default"))}\nimages:\n- name: dorisctl\n  newName: registry.example.com/platform/dorisctl\n  newTag: 0.2.0\n");

        var (code, output, error) = await Tool.RunAsync("kubectl", ["kustomize", "--load-restrictor=LoadRestrictionsNone", work]);

        code.ShouldBe(0, error);
        var deployment = YamlReader.Read(output, "out").Select(d => d.Root!.AsObject()).Single(o => (string?)o["kind"] == "Deployment");
        ((string)deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!).ShouldBe("registry.example.com/platform/dorisctl:0.2.0");
    }
}
