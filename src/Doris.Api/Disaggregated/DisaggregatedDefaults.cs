namespace Doris.Api.Disaggregated;

/// <summary>Defaults apache/doris-operator applies to a DorisDisaggregatedCluster.</summary>
public static class DisaggregatedDefaults
{
    /// <summary>FE followers when electionNumber is not set (a DorisCluster's default is 3).</summary>
    public const int ElectionNumber = 1;
}
