namespace Doris.Eks.Planning;

/// <summary>Everything a blueprint becomes: node groups, the subnet IP plan, the output files and notes for the reader.</summary>
public sealed record EksPlan(
    IReadOnlyList<NodeGroupPlan> Groups,
    IReadOnlyList<SubnetPlan> Subnets,
    IReadOnlyList<PlanArtefact> Artefacts,
    IReadOnlyList<string> Notes);
