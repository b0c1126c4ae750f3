using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Eks.Blueprints;

/// <summary>A node pool: one team, one spec, one lifecycle.</summary>
public sealed record BlueprintPool
{
    [JsonPropertyName("team")]
    [KubernetesRequired]
    public string? Team { get; init; }

    [JsonPropertyName("spec")]
    [KubernetesRequired]
    public string? Spec { get; init; }

    [JsonPropertyName("lifecycle")]
    [KubernetesRequired]
    [SchemaEnum("spot", "on-demand")]
    public string? Lifecycle { get; init; }

    [JsonPropertyName("role")]
    [SchemaEnum("fe", "be", "cn", "broker", "general")]
    public string? Role { get; init; }

    [JsonPropertyName("instanceTypes")]
    public IReadOnlyList<string>? InstanceTypes { get; init; }

    [JsonPropertyName("minInstanceTypes")]
    [Minimum(1)]
    public int? MinInstanceTypes { get; init; }

    [JsonPropertyName("architecture")]
    [SchemaEnum("amd64", "arm64")]
    public string? Architecture { get; init; }

    [JsonPropertyName("minSize")]
    [Minimum(0)]
    [Maximum(MaxNodes)]
    public int? MinSize { get; init; }

    [JsonPropertyName("maxSize")]
    [KubernetesRequired]
    [Minimum(1)]
    [Maximum(MaxNodes)]
    public int? MaxSize { get; init; }

    [JsonPropertyName("desiredSize")]
    [Minimum(0)]
    [Maximum(MaxNodes)]
    public int? DesiredSize { get; init; }

    [JsonPropertyName("zones")]
    public IReadOnlyList<string>? Zones { get; init; }

    [JsonPropertyName("labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("taints")]
    public IReadOnlyList<BlueprintTaint>? Taints { get; init; }

    [JsonPropertyName("volumeSize")]
    [Minimum(20)]
    [Maximum(MaxGp3GiB)]
    public int? VolumeSize { get; init; }

    /// <summary>Kubernetes' tested scale, and the most nodes one EKS cluster is planned for (larger needs AWS's help).</summary>
    public const int MaxNodes = 5000;

    /// <summary>The largest gp3 volume EC2 creates (1–16,384 GiB, as the EC2NodeClass API documents it); root volumes are gp3.</summary>
    public const int MaxGp3GiB = 16384;

    /// <summary>Unknown fields land here so the reader can name them.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
