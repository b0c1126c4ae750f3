namespace Doris.Eks.Planning;

/// <summary>Pod-IP demand of one zone's subnet at every group's maximum size, against what the subnet holds.</summary>
public sealed record SubnetPlan(string Zone, string SubnetId, string Cidr, long Usable, long Needed)
{
    public bool Fits => Needed <= Usable;
}
