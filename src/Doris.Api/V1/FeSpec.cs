using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>Frontends: the first electionNumber pods are followers (voters), the rest observers.</summary>
public sealed record FeSpec : ComponentSpec
{
    [JsonPropertyName("electionNumber")]
    [Minimum(1)]
    public int? ElectionNumber { get; init; }
}
