using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>Compute nodes: stateless BEs started with the compute role.</summary>
public sealed record CnSpec : ComponentSpec
{
    [JsonPropertyName("skipDefaultSystemInit")]
    public bool? SkipDefaultSystemInit { get; init; }

    [JsonPropertyName("autoResolveLimitCPU")]
    public bool? AutoResolveLimitCpu { get; init; }

    [JsonPropertyName("autoScalingPolicy")]
    public AutoScalingPolicy? AutoScalingPolicy { get; init; }
}
