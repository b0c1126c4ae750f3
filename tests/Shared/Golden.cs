namespace Doris.Testing;

/// <summary>
/// Golden files: expected output checked into the repository. Set UPDATE_GOLDEN=1 to rewrite them after an
/// intended change, then review the diff; without it a difference fails with the first differing line.
/// </summary>
internal static class Golden
{
    public static void Match(string actual, string goldenPath)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(goldenPath)!);
            File.WriteAllText(goldenPath, actual);
            return;
        }

        File.Exists(goldenPath).ShouldBeTrue($"golden file {goldenPath} is missing; run the tests once with UPDATE_GOLDEN=1 and review it");
        var expected = File.ReadAllText(goldenPath);
        if (expected == actual)
        {
            return;
        }

        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var line = 0;
        while (line < Math.Min(e.Length, a.Length) && e[line] == a[line])
        {
            line++;
        }

        Assert.Fail($"{goldenPath} differs at line {line + 1}:\n  expected: {(line < e.Length ? e[line] : "<end>")}\n  actual:   {(line < a.Length ? a[line] : "<end>")}\nrun with UPDATE_GOLDEN=1 if the change is intended");
    }
}
