using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>HDFS brokers.</summary>
public sealed record BrokerSpec : ComponentSpec
{
    [JsonPropertyName("kickOffAffinityBe")]
    public bool? KickOffAffinityBe { get; init; }
}
