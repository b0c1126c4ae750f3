using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>Fields every component shares (upstream BaseSpec, inlined into each component).</summary>
public abstract record ComponentSpec
{
    [JsonPropertyName("replicas")]
    [Minimum(0)]
    public int? Replicas { get; init; }

    [JsonPropertyName("image")]
    [KubernetesRequired]
    public string? Image { get; init; }

    [JsonPropertyName("imagePullSecrets")]
    public IReadOnlyList<LocalObjectReference>? ImagePullSecrets { get; init; }

    [JsonPropertyName("requests")]
    public IReadOnlyDictionary<string, Quantity>? Requests { get; init; }

    [JsonPropertyName("limits")]
    public IReadOnlyDictionary<string, Quantity>? Limits { get; init; }

    [JsonPropertyName("claims")]
    public IReadOnlyList<ResourceClaim>? Claims { get; init; }

    [JsonPropertyName("startTimeout")]
    [Minimum(0)]
    public int? StartTimeout { get; init; }

    [JsonPropertyName("liveTimeout")]
    [Minimum(0)]
    public int? LiveTimeout { get; init; }

    [JsonPropertyName("readinessProbePolicy")]
    public ReadinessProbePolicy? ReadinessProbePolicy { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("podLabels")]
    public IReadOnlyDictionary<string, string>? PodLabels { get; init; }

    /// <summary>
    /// dorisctl extension (upstream manifests omit it): where the pods may run with respect to Spot capacity, read
    /// from the standard capacity-type labels. avoid: never on Spot nodes (default for FE, BE and broker); allowed:
    /// tolerate the Spot taint; preferred: prefer Spot, fall back to on-demand; required: Spot only (CN).
    /// </summary>
    [JsonPropertyName("spotPolicy")]
    [SchemaEnum("avoid", "allowed", "preferred", "required")]
    public string? SpotPolicy { get; init; }

    /// <summary>
    /// dorisctl extension: whether the operator keeps a PodDisruptionBudget for this component (default true), so
    /// node drains, cluster-autoscaler and Karpenter take FE and BE pods one at a time. Set false only when another
    /// tool owns the budget.
    /// </summary>
    [JsonPropertyName("enablePodDisruptionBudget")]
    public bool? EnablePodDisruptionBudget { get; init; }

    [JsonPropertyName("serviceAccount")]
    public string? ServiceAccount { get; init; }

    [JsonPropertyName("service")]
    public ExportService? Service { get; init; }

    [JsonPropertyName("feAddress")]
    public FeAddress? FeAddress { get; init; }

    [JsonPropertyName("configMapInfo")]
    public ConfigMapInfo? ConfigMapInfo { get; init; }

    [JsonPropertyName("nodeSelector")]
    public IReadOnlyDictionary<string, string>? NodeSelector { get; init; }

    [JsonPropertyName("envVars")]
    public IReadOnlyList<EnvVar>? EnvVars { get; init; }

    [JsonPropertyName("affinity")]
    public Affinity? Affinity { get; init; }

    [JsonPropertyName("tolerations")]
    public IReadOnlyList<Toleration>? Tolerations { get; init; }

    [JsonPropertyName("hostAliases")]
    public IReadOnlyList<HostAlias>? HostAliases { get; init; }

    [JsonPropertyName("persistentVolumes")]
    public IReadOnlyList<PersistentVolume>? PersistentVolumes { get; init; }

    [JsonPropertyName("systemInitialization")]
    public SystemInitialization? SystemInitialization { get; init; }

    [JsonPropertyName("securityContext")]
    public PodSecurityContext? SecurityContext { get; init; }

    [JsonPropertyName("containerSecurityContext")]
    public SecurityContext? ContainerSecurityContext { get; init; }

    [JsonPropertyName("secrets")]
    public IReadOnlyList<SecretMount>? Secrets { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
