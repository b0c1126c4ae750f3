using System.Globalization;

namespace Doris.Cli.Status;

/// <summary>The report as an on-call engineer reads it: conditions first, then components, pods, the FE's view, budgets, drains and warnings.</summary>
internal static class StatusText
{
    public static void Write(TextWriter o, StatusReport r, DateTimeOffset now)
    {
        o.WriteLine($"DorisCluster {r.Namespace}/{r.Name}  generation {r.Generation}, observed {r.ObservedGeneration?.ToString(CultureInfo.InvariantCulture) ?? "never"}");
        o.WriteLine();
        Table(o, "Conditions", ["TYPE", "STATUS", "REASON", "SINCE", "MESSAGE"],
            r.Conditions.Select(c => new[] { c.Type, c.Status, c.Reason ?? "", Age(c.Since, now), c.Message ?? "" }));
        Table(o, "Components", ["COMPONENT", "STATEFULSET", "READY", "UPDATED", "ROLLOUT", "PHASE"],
            r.Components.Select(c => new[]
            {
                c.Component, c.StatefulSet, $"{c.Ready}/{c.Desired}", $"{c.Updated}/{c.Desired}",
                c.RollingOut ? $"{c.CurrentRevision} -> {c.UpdateRevision}, partition {c.Partition}" : "-",
                c.Phase ?? "-",
            }));
        Table(o, "Pods", ["POD", "COMPONENT", "PHASE", "READY", "RESTARTS", "NODE", "ZONE", "CAPACITY", "REVISION"],
            r.Pods.Select(p => new[]
            {
                p.Name, p.Component, p.Terminating ? "Terminating" : p.Phase, p.Ready ? "yes" : "no", p.Restarts.ToString(CultureInfo.InvariantCulture),
                p.Node ?? "<none>", p.Zone ?? "-", p.Capacity ?? "-", p.Revision ?? "-",
            }));
        foreach (var p in r.Pods.Where(p => p.Problem is not null))
        {
            o.WriteLine($"  {p.Name}: {p.Problem}");
        }

        if (r.Pods.Any(p => p.Problem is not null))
        {
            o.WriteLine();
        }

        Frontend(o, r.Frontend);
        Table(o, "Disruption budgets", ["PDB", "POLICY", "HEALTHY", "ALLOWED DISRUPTIONS"],
            r.Budgets.Select(b => new[] { b.Name, b.Policy, $"{b.CurrentHealthy}/{b.DesiredHealthy}", b.DisruptionsAllowed.ToString(CultureInfo.InvariantCulture) }));
        if (r.Drains.Count > 0)
        {
            Table(o, "Drains in flight", ["NODE", "SIGNAL", "SINCE", "PODS"], r.Drains.Select(d => new[] { d.Node, d.Reason, Age(d.Since, now), string.Join(",", d.Pods) }));
        }

        if (r.Warnings.Count > 0)
        {
            Table(o, "Recent warnings", ["LAST SEEN", "REASON", "OBJECT", "COUNT", "MESSAGE"],
                r.Warnings.Select(w => new[] { Age(w.Last, now), w.Reason, w.Object, w.Count.ToString(CultureInfo.InvariantCulture), w.Message }));
        }
    }

    private static void Frontend(TextWriter o, FrontendSection? fe)
    {
        if (fe is null)
        {
            o.WriteLine("FE view: not read (--no-fe)");
            o.WriteLine();
            return;
        }

        if (fe.Error is not null)
        {
            o.WriteLine($"FE view: {fe.Address} could not be read: {fe.Error}");
            o.WriteLine();
            return;
        }

        Table(o, $"Frontends (from {fe.Address})", ["HOST", "ROLE", "MASTER", "ALIVE", "JOINED", "VERSION"],
            fe.Frontends.Select(f => new[] { f.Host, f.Role, YesNo(f.Master), YesNo(f.Alive), YesNo(f.Join), f.Version ?? "-" }));
        Table(o, "Backends", ["ID", "HOST", "ROLE", "ALIVE", "TABLETS", "DECOMMISSIONING", "LOCATION"],
            fe.Backends.Select(b => new[] { b.Id.ToString(CultureInfo.InvariantCulture), b.Host, b.Role, YesNo(b.Alive), b.Tablets.ToString(CultureInfo.InvariantCulture), YesNo(b.Decommissioning), b.Location ?? "-" }));
        if (fe.Tablets is { } tablets)
        {
            o.WriteLine($"Tablets: {tablets} ({fe.UnhealthyTablets ?? 0} unhealthy); highest replication_num of any table: {fe.ReplicationFloor?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
            o.WriteLine();
        }
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    internal static string Age(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } t)
        {
            return "-";
        }

        var age = now - t;
        return age.TotalSeconds < 0 ? "0s"
            : age.TotalMinutes < 2 ? $"{(int)age.TotalSeconds}s"
            : age.TotalHours < 2 ? $"{(int)age.TotalMinutes}m"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    private static void Table(TextWriter o, string title, string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        o.WriteLine(title + ":");
        if (all.Count == 0)
        {
            o.WriteLine("  (none)");
            o.WriteLine();
            return;
        }

        var widths = header.Select((h, i) => Math.Max(h.Length, all.Max(r => r[i].Length))).ToArray();
        void Line(string[] cells) => o.WriteLine("  " + string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd());
        Line(header);
        foreach (var row in all)
        {
            Line(row);
        }

        o.WriteLine();
    }
}
