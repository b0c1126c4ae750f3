using System.Globalization;
using System.Text;

namespace Doris.Eks.Planning;

/// <summary>The human-readable plan: a row per node group and the pod-IP budget per zone.</summary>
public static class PlanSummary
{
    public static string Render(EksPlan plan, bool prefixDelegation)
    {
        // Pods per node in both CNI modes (prefix mode with the EKS 110/250 cap), the one applied, and the
        // subnet addresses the group can hold at maximum size.
        var rows = new List<string[]> { new[] { "GROUP", "ROLE", "LIFECYCLE", "ZONES", "MIN", "MAX", "PODS/NODE", "SECONDARY-IP", "PREFIX", "IPS AT MAX", "INSTANCE TYPES" } };
        rows.AddRange(plan.Groups.Select(g => new[]
        {
            g.Name, g.Role, g.Spot ? "spot" : "on-demand", string.Join(",", g.Zones), I(g.MinSize), I(g.MaxSize), I(g.MaxPods),
            I(g.Base.MaxPods), I(g.Base.RecommendedMaxPods(true)), I((long)g.MaxSize * IpPlanner.IpsPerNode(g.Base, g.MaxPods, prefixDelegation)),
            string.Join(",", g.Types.Select(t => t.Name)),
        }));
        var text = new StringBuilder();
        Table(text, rows);
        text.Append('\n');
        var ip = new List<string[]> { new[] { "ZONE", "SUBNET", "CIDR", "USABLE IPS", "NEEDED AT MAX", "FITS" } };
        ip.AddRange(plan.Subnets.Select(s => new[] { s.Zone, s.SubnetId, s.Cidr, I(s.Usable), I(s.Needed), s.Fits ? "yes" : "NO" }));
        Table(text, ip);
        foreach (var note in plan.Notes)
        {
            text.Append("\nnote: ").Append(note);
        }

        if (plan.Notes.Count > 0)
        {
            text.Append('\n');
        }

        return text.ToString();
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static void Table(StringBuilder text, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            text.Append(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c])))).Append('\n');
        }
    }
}
