using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;

namespace Doris.Api.Disaggregated;

/// <summary>What the operator observed, in upstream's shape (kubectl get ddc reads its printer columns from here).</summary>
public sealed record DisaggregatedClusterStatus
{
    [JsonPropertyName("metaServiceStatus")]
    public MetaServiceStatus? MetaServiceStatus { get; init; }

    [JsonPropertyName("feStatus")]
    public DisaggregatedFeStatus? FeStatus { get; init; }

    [JsonPropertyName("clusterHealth")]
    public ClusterHealth? ClusterHealth { get; init; }

    [JsonPropertyName("computeGroupStatuses")]
    public IReadOnlyList<ComputeGroupStatus>? ComputeGroupStatuses { get; init; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    /// <summary>dorisctl extension: Ready, Progressing, Degraded and Invalid, as for a DorisCluster.</summary>
    [JsonPropertyName("conditions")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}

/// <summary>The meta service's phase, availability and the endpoint FE and compute groups reach it at.</summary>
public sealed record MetaServiceStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; init; }

    [JsonPropertyName("availableStatus")]
    public string? AvailableStatus { get; init; }

    [JsonPropertyName("metaServiceEndpoint")]
    public string? MetaServiceEndpoint { get; init; }

    [JsonPropertyName("msToken")]
    public string? MsToken { get; init; }
}

/// <summary>The FE group's phase and availability, and the cluster id it registered with the meta service.</summary>
public sealed record DisaggregatedFeStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; init; }

    [JsonPropertyName("availableStatus")]
    public string? AvailableStatus { get; init; }

    [JsonPropertyName("clusterId")]
    public string? ClusterId { get; init; }
}

/// <summary>The whole cluster at a glance: green, yellow or red, and how many compute groups serve.</summary>
public sealed record ClusterHealth
{
    [JsonPropertyName("health")]
    public string? Health { get; init; }

    [JsonPropertyName("feAvailable")]
    public bool? FeAvailable { get; init; }

    [JsonPropertyName("cgCount")]
    public int? CgCount { get; init; }

    [JsonPropertyName("cgAvailableCount")]
    public int? CgAvailableCount { get; init; }

    [JsonPropertyName("cgFullAvailableCount")]
    public int? CgFullAvailableCount { get; init; }
}

/// <summary>One compute group as observed: its StatefulSet and Service, phase and replicas.</summary>
public sealed record ComputeGroupStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; init; }

    [JsonPropertyName("statefulsetName")]
    public string? StatefulsetName { get; init; }

    [JsonPropertyName("serviceName")]
    public string? ServiceName { get; init; }

    [JsonPropertyName("uniqueId")]
    public string? UniqueId { get; init; }

    [JsonPropertyName("computeGroupId")]
    public string? ComputeGroupId { get; init; }

    [JsonPropertyName("availableStatus")]
    public string? AvailableStatus { get; init; }

    [JsonPropertyName("suspendReplicas")]
    public int? SuspendReplicas { get; init; }

    [JsonPropertyName("replicas")]
    public int? Replicas { get; init; }

    [JsonPropertyName("availableReplicas")]
    public int? AvailableReplicas { get; init; }

    [JsonPropertyName("gracefulAction")]
    public GracefulAction? GracefulAction { get; init; }
}

/// <summary>Upstream's record of a graceful rolling restart, scale-down or delete in progress (kept as written).</summary>
public sealed record GracefulAction
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("phase")]
    public string? Phase { get; init; }

    [JsonPropertyName("currentPod")]
    public string? CurrentPod { get; init; }

    [JsonPropertyName("currentOrdinal")]
    public int? CurrentOrdinal { get; init; }

    [JsonPropertyName("targetRevision")]
    public string? TargetRevision { get; init; }

    [JsonPropertyName("desiredReplicas")]
    public int? DesiredReplicas { get; init; }

    [JsonPropertyName("startedAt")]
    public DateTimeOffset? StartedAt { get; init; }

    [JsonPropertyName("deadlineAt")]
    public DateTimeOffset? DeadlineAt { get; init; }

    [JsonPropertyName("lastMessage")]
    public string? LastMessage { get; init; }

    [JsonPropertyName("drainTriggered")]
    public bool? DrainTriggered { get; init; }

    [JsonPropertyName("initialRestartCount")]
    public int? InitialRestartCount { get; init; }

    [JsonPropertyName("sentinelWritten")]
    public bool? SentinelWritten { get; init; }

    [JsonPropertyName("restartAnomalyDetected")]
    public bool? RestartAnomalyDetected { get; init; }

    [JsonPropertyName("initialPodUID")]
    public string? InitialPodUid { get; init; }

    [JsonPropertyName("initialContainerID")]
    public string? InitialContainerId { get; init; }

    [JsonPropertyName("initialBackendStartTime")]
    public string? InitialBackendStartTime { get; init; }

    [JsonPropertyName("initialBackendEpoch")]
    public string? InitialBackendEpoch { get; init; }

    [JsonPropertyName("replacementPodUID")]
    public string? ReplacementPodUid { get; init; }

    [JsonPropertyName("replacementContainerID")]
    public string? ReplacementContainerId { get; init; }

    [JsonPropertyName("replacementBackendStartTime")]
    public string? ReplacementBackendStartTime { get; init; }

    [JsonPropertyName("replacementBackendEpoch")]
    public string? ReplacementBackendEpoch { get; init; }

    [JsonPropertyName("stableBackendObservations")]
    public int? StableBackendObservations { get; init; }
}
