using Doris.Testing;

namespace Doris.Api.Tests;

internal static class InvalidManifests
{
    public static string Directory => Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Api.Tests", "Invalid");

    public static IReadOnlyList<string> All => [.. System.IO.Directory.GetFiles(Directory, "*.yaml").Order(StringComparer.Ordinal)];

    public static string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>The <c># expect: path: message</c> header of a corpus file.</summary>
    public static (string Path, string Message) Expectation(string file) => ExpectationAt(PathOf(file));

    public static string DisaggregatedDirectory => Path.Combine(SharedFiles.RepositoryRoot, "tests", "Doris.Api.Tests", "InvalidDisaggregated");

    public static IReadOnlyList<string> AllDisaggregated => [.. System.IO.Directory.GetFiles(DisaggregatedDirectory, "*.yaml").Order(StringComparer.Ordinal)];

    public static (string Path, string Message) ExpectationAt(string fullPath)
    {
        var first = File.ReadLines(fullPath).First();
        const string Prefix = "# expect: ";
        first.ShouldStartWith(Prefix);
        var rest = first[Prefix.Length..];
        var cut = rest.IndexOf(": ", StringComparison.Ordinal);
        return (rest[..cut], rest[(cut + 2)..]);
    }
}
