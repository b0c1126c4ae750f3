using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>Backends: the storage and query nodes.</summary>
public sealed record BeSpec : ComponentSpec
{
    [JsonPropertyName("enableWorkloadGroup")]
    public bool? EnableWorkloadGroup { get; init; }

    [JsonPropertyName("skipDefaultSystemInit")]
    public bool? SkipDefaultSystemInit { get; init; }

    [JsonPropertyName("enableFeAffinity")]
    public bool? EnableFeAffinity { get; init; }

    [JsonPropertyName("autoResolveLimitCPU")]
    public bool? AutoResolveLimitCpu { get; init; }
}
