using Doris.Eks.Instances;
using Doris.Testing;

namespace Doris.Eks.Tests;

public sealed class InstanceCatalogTests
{
    private static readonly Lazy<InstanceCatalog> Reference = new(() =>
        InstanceCatalog.FromCsv(File.ReadAllText(SharedFiles.Reference("eks", "ec2-instance-types.derived.csv")), "reference"));

    [Fact]
    public void BuiltinTable_EveryRowMatchesTheReferenceData()
    {
        var mismatches = new List<string>();
        foreach (var ours in InstanceCatalog.Default.All)
        {
            var theirs = Reference.Value.Find(ours.Name);
            if (theirs is null || theirs with { Architecture = ours.Architecture } != ours)
            {
                mismatches.Add($"{ours} vs {theirs}");
            }
        }

        InstanceCatalog.Default.All.Count.ShouldBeGreaterThan(400);
        mismatches.ShouldBeEmpty();
    }

    [Fact]
    public void BuiltinTable_MaxPodsMatchEniMaxPodsFile()
    {
        var file = File.ReadLines(SharedFiles.Reference("eks", "eni-max-pods.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

        foreach (var t in InstanceCatalog.Default.All)
        {
            t.MaxPods.ShouldBe(file[t.Name], t.Name);
        }
    }

    [Fact]
    public void BuiltinTable_CoversIntelAmdGravitonAndPreviousGenerations()
    {
        var families = InstanceCatalog.Default.All.Select(t => t.Family).ToHashSet();

        new[] { "m5", "m6i", "m7i", "m6a", "m7a", "m6g", "m7g", "c5", "c6i", "c7g", "r5", "r6i", "r7a", "r8g", "i3", "i4i", "m4", "c4", "r4" }.ShouldAllBe(f => families.Contains(f));
        InstanceCatalog.Default.Find("r7g.2xlarge")!.Architecture.ShouldBe("arm64");
        InstanceCatalog.Default.Find("m4.large")!.Nitro.ShouldBeFalse();
    }

    [Fact]
    public void FromCsv_TheCompleteReferenceTable_LoadsEveryRowWithShape()
    {
        var rows = File.ReadLines(SharedFiles.Reference("eks", "ec2-instance-types.derived.csv")).Skip(1).Count(l => l.Split(',') is var c && c[1].Length > 0 && c[8] != "true");

        Reference.Value.All.Count.ShouldBe(rows);
        Reference.Value.Find("c6gn.16xlarge")!.Architecture.ShouldBe("arm64");
        Reference.Value.Find("a1.large")!.Architecture.ShouldBe("arm64");
        Reference.Value.Find("m5.large")!.Architecture.ShouldBe("amd64");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("name,vcpu\nm5.large,2\n", "no 'instance_type' column")]
    [InlineData("instance_type,vcpu,memory_mib,max_enis_default_card,ipv4_per_eni\nm5.large,two,8192,3,10\n", ":2: a number column of 'm5.large'")]
    [InlineData("instance_type,vcpu,memory_mib,max_enis_default_card,ipv4_per_eni\nm5.large,2\n", ":2: 2 columns where the header has 5")]
    public void FromCsv_BadFile_SaysWhereAndWhat(string csv, string message) =>
        Should.Throw<EksInputException>(() => InstanceCatalog.FromCsv(csv, "types.csv")).Message.ShouldContain(message);
}
