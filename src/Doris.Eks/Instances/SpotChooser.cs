namespace Doris.Eks.Instances;

/// <summary>
/// Picks the instance types of one node group: all with the spec's exact vCPU and memory, one architecture and
/// one pod density (cluster-autoscaler models a group from its first type and balancing needs equal capacity),
/// spread over as many families and generations as possible (each is its own Spot capacity pool).
/// </summary>
public static class SpotChooser
{
    public const int MaxTypesPerGroup = 20;

    public static IReadOnlyList<InstanceType> Choose(InstanceCatalog catalog, ShapeSpec spec, string architecture, bool prefixDelegation, int wanted)
    {
        var shape = spec.Exact ? (spec.Vcpu, spec.MemoryMib) : SmallestShape(catalog, spec, architecture);
        var candidates = catalog.All
            .Where(t => t.Vcpu == shape.Vcpu && t.MemoryMib == shape.MemoryMib && t.Architecture == architecture && (!prefixDelegation || t.Nitro))
            .ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        // The largest set with one pod density wins; ties go to the density of the newest types.
        var density = candidates
            .GroupBy(t => prefixDelegation ? t.RecommendedMaxPods(true) : t.MaxPods)
            .OrderByDescending(g => g.Count()).ThenByDescending(g => g.Max(t => t.Generation))
            .First();

        // Round-robin over families, newest generation first, so the first types are the most diverse.
        var byFamily = density.GroupBy(t => t.Family)
            .OrderByDescending(g => g.Key.Length <= 3 ? 1 : 0).ThenByDescending(g => g.First().Generation).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Queue<InstanceType>(g.OrderBy(t => t.Name, StringComparer.Ordinal)))
            .ToList();
        var picked = new List<InstanceType>();
        while (picked.Count < Math.Min(Math.Max(wanted, 1), MaxTypesPerGroup) && byFamily.Any(q => q.Count > 0))
        {
            foreach (var queue in byFamily.Where(q => q.Count > 0))
            {
                picked.Add(queue.Dequeue());
                if (picked.Count == Math.Min(Math.Max(wanted, 1), MaxTypesPerGroup))
                {
                    break;
                }
            }
        }

        return picked;
    }

    /// <summary>For a size class: the smallest vCPU/memory shape at or above the class minimum that enough types share.</summary>
    private static (int Vcpu, int MemoryMib) SmallestShape(InstanceCatalog catalog, ShapeSpec spec, string architecture) =>
        catalog.All
            .Where(t => t.Architecture == architecture && t.Vcpu >= spec.Vcpu && t.MemoryMib >= spec.MemoryMib)
            .GroupBy(t => (t.Vcpu, t.MemoryMib))
            .OrderBy(g => g.Key.Vcpu).ThenBy(g => g.Key.MemoryMib).ThenByDescending(g => g.Count())
            .Select(g => g.Key)
            .FirstOrDefault((spec.Vcpu, spec.MemoryMib));
}
