using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>The component's external access Service.</summary>
public sealed record ExportService
{
    [JsonPropertyName("type")]
    [SchemaEnum("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")]
    public string? Type { get; init; }

    [JsonPropertyName("servicePorts")]
    public IReadOnlyList<DorisServicePort>? ServicePorts { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("loadBalancerIP")]
    public string? LoadBalancerIp { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
