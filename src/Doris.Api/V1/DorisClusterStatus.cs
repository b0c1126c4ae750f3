using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>Observed state per component, plus standard conditions.</summary>
public sealed record DorisClusterStatus
{
    [JsonPropertyName("feStatus")]
    public ComponentStatus? FeStatus { get; init; }

    [JsonPropertyName("beStatus")]
    public ComponentStatus? BeStatus { get; init; }

    [JsonPropertyName("cnStatus")]
    public CnStatus? CnStatus { get; init; }

    [JsonPropertyName("brokerStatus")]
    public ComponentStatus? BrokerStatus { get; init; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
