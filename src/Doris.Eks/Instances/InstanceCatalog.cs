using System.Globalization;

namespace Doris.Eks.Instances;

/// <summary>
/// Instance facts: the built-in table of the families used for Doris and Spot, or a complete table loaded
/// from a CSV in the columns of the EC2 reference data (<c>--instance-data</c>).
/// </summary>
public sealed partial class InstanceCatalog
{
    private readonly Dictionary<string, InstanceType> _byName;

    public InstanceCatalog(IEnumerable<InstanceType> types) =>
        _byName = types.ToDictionary(t => t.Name, StringComparer.Ordinal);

    // Lazy: the built-in rows live in another part of this partial class, whose static initialisers may run later.
    private static readonly Lazy<InstanceCatalog> DefaultCatalog = new(() => new(Builtin));

    public static InstanceCatalog Default => DefaultCatalog.Value;

    public IReadOnlyCollection<InstanceType> All => _byName.Values;

    public InstanceType? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Reads <c>instance_type,vcpu,memory_mib,max_enis_default_card,...,ipv4_per_eni,hypervisor,bare_metal</c>
    /// by column name; rows without vCPU/memory or bare metal are skipped. The architecture is not in the
    /// data, so it is inferred: Graviton families carry a 'g' after the generation digit (m6g, c7gn, x2gd).
    /// </summary>
    public static InstanceCatalog FromCsv(string text, string source)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            throw new EksInputException($"{source}: empty; expected a CSV header with instance_type, vcpu, memory_mib, max_enis_default_card, ipv4_per_eni");
        }

        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0
            ? i
            : throw new EksInputException($"{source}: the header has no '{name}' column; use the columns of ec2-instance-types.derived.csv");
        var (name, vcpu, memory, enis, ipv4) = (Column("instance_type"), Column("vcpu"), Column("memory_mib"), Column("max_enis_default_card"), Column("ipv4_per_eni"));
        var hypervisor = Array.IndexOf(header, "hypervisor");
        var bareMetal = Array.IndexOf(header, "bare_metal");
        var types = new List<InstanceType>();
        for (var row = 1; row < lines.Length; row++)
        {
            var cells = lines[row].Split(',');
            if (cells.Length < header.Length)
            {
                throw new EksInputException($"{source}:{row + 1}: {cells.Length} columns where the header has {header.Length}; fix the row");
            }

            if (cells[vcpu].Length == 0 || cells[memory].Length == 0 || bareMetal >= 0 && cells[bareMetal] == "true")
            {
                continue;
            }

            try
            {
                types.Add(new InstanceType(cells[name], Int(cells[vcpu]), Int(cells[memory]), Int(cells[enis]), Int(cells[ipv4]),
                    InferArchitecture(cells[name]), hypervisor >= 0 && cells[hypervisor].Length > 0 ? cells[hypervisor] : "nitro"));
            }
            catch (FormatException)
            {
                throw new EksInputException($"{source}:{row + 1}: a number column of '{cells[name]}' is not a whole number; fix the row");
            }
        }

        return new InstanceCatalog(types);
    }

    public static string InferArchitecture(string instanceType)
    {
        var family = instanceType.Split('.')[0];
        var digit = family.IndexOfAny("0123456789".ToCharArray());
        return family == "a1" || digit >= 0 && family[(digit + 1)..].StartsWith('g') ? "arm64" : "amd64";
    }

    private static int Int(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
}
