using System.Runtime.CompilerServices;

namespace Doris.Testing;

/// <summary>
/// Paths to the team's reference data in <c>../shared</c> (beside the checkout) and to this repository.
/// A missing <c>../shared</c> fails the test with a message: these tests must never pass by skipping.
/// </summary>
internal static class SharedFiles
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Shared
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("DORISCTL_SHARED");
            var path = string.IsNullOrEmpty(fromEnvironment) ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared")) : fromEnvironment;
            if (!Directory.Exists(Path.Combine(path, "reference")))
            {
                throw new InvalidOperationException($"the shared reference data is not at '{path}'; check it out beside the repository or set DORISCTL_SHARED");
            }

            return path;
        }
    }

    public static string Reference(params string[] parts) => Path.Combine([Shared, "reference", .. parts]);

    public static string UpstreamCrd => Reference("doris-operator", "config", "crd", "bases", "doris.selectdb.com_dorisclusters.yaml");

    public static IReadOnlyList<string> UpstreamExamples =>
        [.. Directory.GetFiles(Reference("doris-operator", "doc", "examples"), "doriscluster-*.yaml").Order(StringComparer.Ordinal)];

    public static string UpstreamDisaggregatedCrd => Reference("doris-operator", "config", "crd", "bases", "disaggregated.cluster.doris.com_dorisdisaggregatedclusters.yaml");

    /// <summary>Upstream's 16 DorisDisaggregatedCluster examples.</summary>
    public static IReadOnlyList<string> UpstreamDisaggregatedExamples =>
        [.. Directory.GetFiles(Reference("doris-operator", "doc", "examples", "disaggregated", "cluster"), "*.yaml").Order(StringComparer.Ordinal)];

    /// <summary>Our DorisCluster examples (examples/*.yaml but the storage-compute ones).</summary>
    public static IReadOnlyList<string> OurExamples =>
        [.. Directory.GetFiles(Path.Combine(RepositoryRoot, "examples"), "*.yaml").Where(f => !IsDisaggregated(f)).Order(StringComparer.Ordinal)];

    /// <summary>Our DorisDisaggregatedCluster examples.</summary>
    public static IReadOnlyList<string> OurDisaggregatedExamples =>
        [.. Directory.GetFiles(Path.Combine(RepositoryRoot, "examples"), "*.yaml").Where(IsDisaggregated).Order(StringComparer.Ordinal)];

    private static bool IsDisaggregated(string file) => File.ReadLines(file).Any(l => l.StartsWith("kind: DorisDisaggregatedCluster", StringComparison.Ordinal));

    /// <summary>The directory of the calling source file, for golden files and test data kept beside the tests.</summary>
    public static string SourceDirectory([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "dorisctl.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find dorisctl.slnx above the test binaries");
    }
}
