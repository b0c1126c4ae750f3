using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Cli.Tests;

public sealed class InstallCommandTests
{
    [Fact]
    public void Install_EveryObjectValidatesAgainstTheKubernetesSchema()
    {
        var run = CliRun.Of("install", "--namespace", "doris-ops");

        run.ExitCode.ShouldBe(ExitCodes.Success);
        var docs = YamlReader.Read(run.Out, "install.yaml");
        docs.Select(d => (string?)d.Root!["kind"]).ShouldBe(["CustomResourceDefinition", "CustomResourceDefinition", "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment"]);
        docs.Take(2).Select(d => (string?)d.Root!["metadata"]!["name"]).ShouldBe(["dorisclusters.doris.selectdb.com", "dorisdisaggregatedclusters.disaggregated.cluster.doris.com"]);
        foreach (var doc in docs)
        {
            KubernetesSwagger.Validate(doc.Root!.AsObject()).ShouldBeEmpty();
        }
    }

    [Fact]
    public void Install_RbacIsLeastPrivilege_AndThePodIsHardened()
    {
        var docs = YamlReader.Read(CliRun.Of("install").Out, "install.yaml");
        var role = docs.Single(d => (string?)d.Root!["kind"] == "ClusterRole").Root!;
        var pod = docs.Single(d => (string?)d.Root!["kind"] == "Deployment").Root!["spec"]!["template"]!["spec"]!;

        role.ToJsonString().ShouldNotContain("\"*\"");
        role["rules"]!.AsArray().Single(r => r!["resources"]![0]!.ToString() == "secrets")!["verbs"]!.AsArray().Select(v => v!.ToString()).ShouldBe(["get"]);
        var podVerbs = role["rules"]!.AsArray().Where(r => r!["resources"]!.AsArray().Any(x => x!.ToString() == "pods")).SelectMany(r => r!["verbs"]!.AsArray().Select(v => v!.ToString())).ToList();
        string.Join(",", podVerbs.Order()).ShouldBe("delete,get,list,watch", "pods are read, and deleted only to move a drained CN; never created or patched");
        ((bool)pod["securityContext"]!["runAsNonRoot"]!).ShouldBeTrue();
        var container = pod["containers"]![0]!;
        ((bool)container["securityContext"]!["readOnlyRootFilesystem"]!).ShouldBeTrue();
        ((bool)container["securityContext"]!["allowPrivilegeEscalation"]!).ShouldBeFalse();
        container["args"]!.AsArray().Select(a => a!.ToString()).ShouldContain("0.0.0.0", "kubelet probes reach the pod IP, not loopback");
    }

    [Fact]
    public void Install_WatchNamespace_RightsComeFromARoleThere_AndOnlyNodeAndStorageClassReadsStayClusterWide()
    {
        var run = CliRun.Of("install", "--watch-namespace", "analytics");

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        var docs = YamlReader.Read(run.Out, "install.yaml").Select(d => d.Root!.AsObject()).ToList();
        docs.ShouldAllBe(d => KubernetesSwagger.Validate(d).Count == 0);
        var clusterRole = docs.Single(d => (string?)d["kind"] == "ClusterRole");
        clusterRole["rules"]!.AsArray().SelectMany(r => r!["resources"]!.AsArray().Select(x => x!.ToString())).ShouldBe(["nodes", "storageclasses"], "cluster-scoped reads only: nodes for drains, StorageClasses for claim expansion");
        clusterRole["rules"]![0]!["verbs"]!.AsArray().Select(v => v!.ToString()).ShouldBe(["get", "list", "watch"]);
        var role = docs.Single(d => (string?)d["kind"] == "Role" && (string?)d["metadata"]!["namespace"] == "analytics");
        role["rules"]!.AsArray().ShouldContain(r => r!["resources"]![0]!.ToString() == "statefulsets");
        var binding = docs.Single(d => (string?)d["kind"] == "RoleBinding" && (string?)d["metadata"]!["namespace"] == "analytics");
        ((string?)binding["subjects"]![0]!["namespace"]).ShouldBe("doris-system");
        var args = docs.Single(d => (string?)d["kind"] == "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => a!.ToString()).ToList();
        args.ShouldContain("--namespace");
        args[args.IndexOf("--namespace") + 1].ShouldBe("analytics");
    }

    [Fact]
    public void Install_WatchNamespaceNotAName_IsAUsageError()
    {
        var run = CliRun.Of("install", "--watch-namespace", "Not_A_Namespace");

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain("--watch-namespace 'Not_A_Namespace' is not a namespace name");
    }

    // The limit must hold the operator at the scale we measured: the peak RSS with 1,000 clusters in
    // bench/RESULTS.md plus a quarter, and the request at least the measured idle RSS.
    [Fact]
    public void Install_MemoryLimit_HoldsTheMeasuredPeakWithMargin()
    {
        var results = File.ReadAllText(Path.Combine(SharedFiles.RepositoryRoot, "bench", "RESULTS.md"));
        var section = results[results.IndexOf("## Operator memory and start-up", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 5, StringComparison.Ordinal)];
        var lines = section.Split('\n');
        // Each table has its own header: the Peak RSS column is found per table.
        var peaks = new List<int>();
        var peakColumn = -1;
        foreach (var line in lines)
        {
            if (line.StartsWith("| Scenario |", StringComparison.Ordinal))
            {
                peakColumn = line.Split('|', StringSplitOptions.TrimEntries).ToList().IndexOf("Peak RSS");
            }
            else if (peakColumn > 0 && line.Contains("create -> Ready", StringComparison.Ordinal) && line.Contains("| 1000 |", StringComparison.Ordinal))
            {
                peaks.Add(int.Parse(line.Split('|', StringSplitOptions.TrimEntries)[peakColumn].Replace(" MiB", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        peaks.ShouldNotBeEmpty("the 1,000-cluster rows were found");
        var peak = peaks.Max();
        // Idle rows of every build (the ReadyToRun ones are the largest): the request must hold any of them.
        var idle = lines.Where(l => l.StartsWith("| ReadyToRun", StringComparison.Ordinal) || l.StartsWith("| native", StringComparison.Ordinal))
            .Where(l => l.Split('|').Length > 4 && l.Split('|')[3].Contains("MiB", StringComparison.Ordinal))
            .SelectMany(l => System.Text.RegularExpressions.Regex.Matches(l.Split('|')[3], @"(\d+(?:\.\d+)?) MiB|(\d+(?:\.\d+)?),"))
            .Select(m => double.Parse(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)).Max();
        idle.ShouldBeGreaterThan(20, "the idle rows were found");

        var docs = YamlReader.Read(CliRun.Of("install").Out, "install.yaml");
        var resources = docs.Single(d => (string?)d.Root!["kind"] == "Deployment").Root!["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"]!;

        Mebibytes((string)resources["limits"]!["memory"]!).ShouldBeGreaterThanOrEqualTo(peak * 1.25, $"measured peak {peak} MiB");
        Mebibytes((string)resources["requests"]!["memory"]!).ShouldBeGreaterThanOrEqualTo(idle, "measured idle");
    }

    private static double Mebibytes(string quantity) => quantity.EndsWith("Gi", StringComparison.Ordinal)
        ? double.Parse(quantity[..^2], System.Globalization.CultureInfo.InvariantCulture) * 1024
        : double.Parse(quantity.TrimEnd('M', 'i'), System.Globalization.CultureInfo.InvariantCulture);
}
