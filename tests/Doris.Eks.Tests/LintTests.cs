using Doris.Eks.Instances;
using Doris.Eks.Lint;
using Doris.Kubernetes.Serialization;
using Doris.Testing;

namespace Doris.Eks.Tests;

public sealed class LintTests
{
    private static string LintDirectory => Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Eks.Tests", "Lint");

    public static TheoryData<string> BadExamples() => [.. Directory.GetFiles(LintDirectory, "EKS*.yaml").Order(StringComparer.Ordinal).Select(f => Path.GetFileName(f))];

    private static IReadOnlyList<LintFinding> Lint(string file) =>
        EksLinter.Lint(LintInput.From(YamlReader.Read(File.ReadAllText(Path.Combine(LintDirectory, file)), file).Select(d => d.Root)), InstanceCatalog.Default);

    [Fact]
    public void Rules_AtLeastFifteenWithUniqueIds()
    {
        EksLinter.Rules.Count.ShouldBeGreaterThanOrEqualTo(15);
        EksLinter.Rules.Select(r => r.Id).Distinct().Count().ShouldBe(EksLinter.Rules.Count);
    }

    [Fact]
    public void EveryRule_HasABadExample()
    {
        var covered = Directory.GetFiles(LintDirectory, "EKS*.yaml").Select(f => Path.GetFileName(f).Split('-')[0]).ToHashSet();

        EksLinter.Rules.Select(r => r.Id).ShouldAllBe(id => covered.Contains(id));
    }

    [Fact]
    public void CleanExample_HasNoFindings() => Lint("00-clean.yaml").ShouldBeEmpty();

    [Theory]
    [MemberData(nameof(BadExamples))]
    public void BadExample_IsFlaggedByItsRuleAtThePathAndOnlyByIt(string file)
    {
        var expect = File.ReadLines(Path.Combine(LintDirectory, file)).First()["# expect: ".Length..].Split(' ', 2);

        var findings = Lint(file);

        findings.ShouldContain(f => f.RuleId == expect[0] && f.Path == expect[1], string.Join("\n", findings));
        findings.ShouldAllBe(f => f.RuleId == expect[0], "a minimal bad example breaks one rule");
        findings.ShouldAllBe(f => f.Reason.Length > 0 && f.Fix.Length > 0);
    }

    [Fact]
    public void SeedNodeGroup_GetsTheFindingsAReviewerWouldGive()
    {
        var seed = File.ReadAllText(Path.Combine(SharedFiles.Shared, "seeds", "004_3d970d705470b30e.txt"));
        var start = seed.IndexOf("apiVersion: eksctl.io/v1alpha5", StringComparison.Ordinal);
        var end = seed.IndexOf("albIngress: true", start, StringComparison.Ordinal) + "albIngress: true".Length;
        var yaml = string.Join("\n", seed[start..end].Split('\n').Select(l => l.Contains(" # ", StringComparison.Ordinal) ? l[..l.IndexOf(" # ", StringComparison.Ordinal)] : l));

        var findings = EksLinter.Lint(LintInput.From(YamlReader.Read(yaml, "seed.yaml").Select(d => d.Root)), InstanceCatalog.Default);
        var byRule = findings.Select(f => $"{f.RuleId} {f.Path}").ToList();

        byRule.ShouldContain("EKS002 nodeGroups[0].instancesDistribution.instanceTypes", "m4.large allows 20 pods, m5.large 29");
        byRule.ShouldContain("EKS003 nodeGroups[0].instancesDistribution.capacityRebalance");
        byRule.ShouldContain("EKS012 nodeGroups[0].ami", "a custom AMI without amiFamily");
        byRule.ShouldContain("EKS014 nodeGroups[0].volumeEncrypted");
        byRule.ShouldContain("EKS014 secretsEncryption");
        byRule.ShouldContain("EKS015 nodeGroups[0].tags", "Spot without a termination handler");
        byRule.ShouldContain("EKS016 nodeGroups[0].ssh.allow");
        findings.Single(f => f.RuleId == "EKS016" && f.Path == "nodeGroups[0].ssh.allow").Severity.ShouldBe(LintSeverity.Error, "public nodes with SSH from anywhere");
        byRule.ShouldContain("EKS024 nodeGroups[0].iam.withAddonPolicies.autoScaler", "any pod can resize the groups");
        byRule.ShouldContain("EKS025 nodeGroups[0].taints", "spotInstance: true:PreferNoSchedule keeps nothing off Spot");
        byRule.ShouldContain("EKS016 nodeGroups[0].privateNetworking");
        findings.ShouldNotContain(f => f.RuleId == "EKS000", "map-form taints are valid eksctl");
        findings.ShouldNotContain(f => f.RuleId == "EKS001", "m5.large, m5d.large and m4.large share 2 vCPU / 8 GiB");
        findings.ShouldNotContain(f => f.RuleId == "EKS005", "its template tags mirror its labels and taint");
    }
}
