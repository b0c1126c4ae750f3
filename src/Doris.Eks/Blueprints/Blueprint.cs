using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Eks.Blueprints;

/// <summary>One small description of an EKS cluster for Doris, from which every artefact is planned.</summary>
public sealed record Blueprint
{
    [JsonPropertyName("apiVersion")]
    [KubernetesRequired]
    [SchemaEnum("dorisctl.io/v1alpha1")]
    public string? ApiVersion { get; init; }

    [JsonPropertyName("kind")]
    [KubernetesRequired]
    [SchemaEnum("EksBlueprint")]
    public string? Kind { get; init; }

    [JsonPropertyName("name")]
    [KubernetesRequired]
    public string? Name { get; init; }

    [JsonPropertyName("region")]
    [KubernetesRequired]
    public string? Region { get; init; }

    [JsonPropertyName("kubernetesVersion")]
    public string? KubernetesVersion { get; init; }

    [JsonPropertyName("nodeOs")]
    [SchemaEnum("AL2023", "Bottlerocket", "AL2")]
    public string? NodeOs { get; init; }

    [JsonPropertyName("autoscaler")]
    [SchemaEnum("cluster-autoscaler", "karpenter")]
    public string? Autoscaler { get; init; }

    [JsonPropertyName("kmsKeyArn")]
    public string? KmsKeyArn { get; init; }

    [JsonPropertyName("prefixDelegation")]
    public bool? PrefixDelegation { get; init; }

    [JsonPropertyName("amiAlias")]
    public string? AmiAlias { get; init; }

    /// <summary>EKS add-on versions to pin, by add-on name (e.g. vpc-cni: v1.20.1-eksbuild.1); unpinned add-ons take the default for the Kubernetes version.</summary>
    [JsonPropertyName("addonVersions")]
    public IReadOnlyDictionary<string, string>? AddonVersions { get; init; }

    [JsonPropertyName("vpc")]
    [KubernetesRequired]
    public BlueprintVpc? Vpc { get; init; }

    [JsonPropertyName("pools")]
    [KubernetesRequired]
    public IReadOnlyList<BlueprintPool>? Pools { get; init; }

    /// <summary>Unknown fields land here so the reader can name them.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
