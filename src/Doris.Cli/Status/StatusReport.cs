using System.Text.Json.Serialization;

namespace Doris.Cli.Status;

/// <summary>What <c>dorisctl status</c> shows, as data: rendered as text or written as JSON (<c>-o json</c>).</summary>
internal sealed record StatusReport(
    string Name,
    string Namespace,
    long? Generation,
    long? ObservedGeneration,
    IReadOnlyList<ConditionLine> Conditions,
    IReadOnlyList<ComponentLine> Components,
    IReadOnlyList<PodLine> Pods,
    IReadOnlyList<BudgetLine> Budgets,
    IReadOnlyList<DrainLine> Drains,
    IReadOnlyList<EventLine> Warnings,
    FrontendSection? Frontend)
{
    [JsonIgnore]
    public bool Ready => Conditions.Any(c => c.Type == "Ready" && c.Status == "True");
}

internal sealed record ConditionLine(string Type, string Status, string? Reason, string? Message, DateTimeOffset? Since);

/// <summary>A component's StatefulSet: how many pods it wants and has, and how far a rollout has come.</summary>
internal sealed record ComponentLine(string Component, string StatefulSet, int Desired, int Ready, int Updated, string? CurrentRevision, string? UpdateRevision, int Partition, string? Phase, string? Message)
{
    public bool RollingOut => CurrentRevision != UpdateRevision || Partition > 0;
}

internal sealed record PodLine(string Name, string Component, string Phase, bool Ready, int Restarts, string? Node, string? Zone, string? Capacity, string? Revision, bool Terminating, string? Problem);

internal sealed record BudgetLine(string Name, string Policy, int CurrentHealthy, int DesiredHealthy, int DisruptionsAllowed);

internal sealed record DrainLine(string Node, string Reason, DateTimeOffset? Since, IReadOnlyList<string> Pods);

internal sealed record EventLine(DateTimeOffset? Last, string Reason, string Object, int Count, string Message);

internal sealed record FrontendSection(
    string Address,
    string? Error,
    IReadOnlyList<FrontendLine> Frontends,
    IReadOnlyList<BackendLine> Backends,
    long? Tablets,
    long? UnhealthyTablets,
    int? ReplicationFloor);

internal sealed record FrontendLine(string Host, string Role, bool Master, bool Alive, bool Join, string? Version);

internal sealed record BackendLine(long Id, string Host, string Role, bool Alive, long Tablets, bool Decommissioning, string? Location);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
