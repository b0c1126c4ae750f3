using System.Text.RegularExpressions;

namespace Doris.Simulation.Processes;

/// <summary>
/// The Doris release line the simulated FE answers as. The operator reads every result by column name, so the
/// lines differ here where they differ in what the operator reads: <c>SHOW BACKENDS</c> in 3.0 carries
/// <c>CpuCores</c>, <c>Memory</c> and <c>RunningTasks</c> ahead of <c>NodeRole</c> (fe-core <c>BackendsProcDir</c>
/// TITLE_NAMES), 2.1 ends <c>HeartbeatFailureCounter, NodeRole</c> (the 2.1.5 layout upstream's operator tests
/// against), and each reports its own <c>Version</c>. The statements the operator sends are answered alike: both
/// refuse <c>DROP BACKEND</c>, have no <c>default_replication_num</c> config, drop an emptied decommissioned
/// backend themselves and check a decommission against each partition's allocation per tag.
/// </summary>
public enum DorisVersion
{
    V2_1,
    V3_0,
}

public static class DorisVersions
{
    /// <summary>The line an image tag names (<c>apache/doris:fe-3.0.3</c> → 3.0); 2.1 when the tag names none.</summary>
    public static DorisVersion FromImage(string? image)
    {
        var tag = image is null ? string.Empty : image[(image.LastIndexOf(':') + 1)..];
        var m = Regex.Match(tag, @"(?<![0-9.])(?<major>\d+)\.(?<minor>\d+)", RegexOptions.None, TimeSpan.FromSeconds(1));
        return m.Success && int.Parse(m.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 3 ? DorisVersion.V3_0 : DorisVersion.V2_1;
    }

    /// <summary>What <c>SHOW BACKENDS</c>/<c>FRONTENDS</c> report in their <c>Version</c> column.</summary>
    public static string BuildName(this DorisVersion version) => version == DorisVersion.V3_0 ? "doris-3.0.3-rc01" : "doris-2.1.8";
}
