namespace Doris.Eks.Planning;

/// <summary>One output file of a plan: its relative path, the format family it belongs to, and its text.</summary>
public sealed record PlanArtefact(string Path, string Format, string Content);
