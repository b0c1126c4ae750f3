using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.Disaggregated;

/// <summary>Fields the meta service, the FE group and every compute group share (upstream CommonSpec).</summary>
public abstract record DisaggregatedComponentSpec
{
    [JsonPropertyName("replicas")]
    [Minimum(0)]
    public int? Replicas { get; init; }

    [JsonPropertyName("image")]
    public string? Image { get; init; }

    [JsonPropertyName("imagePullSecrets")]
    public IReadOnlyList<LocalObjectReference>? ImagePullSecrets { get; init; }

    [JsonPropertyName("startTimeout")]
    [Minimum(0)]
    public int? StartTimeout { get; init; }

    [JsonPropertyName("liveTimeout")]
    [Minimum(0)]
    public int? LiveTimeout { get; init; }

    [JsonPropertyName("readinessProbePolicy")]
    public V1.ReadinessProbePolicy? ReadinessProbePolicy { get; init; }

    [JsonPropertyName("requests")]
    public IReadOnlyDictionary<string, Quantity>? Requests { get; init; }

    [JsonPropertyName("limits")]
    public IReadOnlyDictionary<string, Quantity>? Limits { get; init; }

    [JsonPropertyName("claims")]
    public IReadOnlyList<ResourceClaim>? Claims { get; init; }

    [JsonPropertyName("labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("affinity")]
    public Affinity? Affinity { get; init; }

    [JsonPropertyName("persistentVolume")]
    public DisaggregatedVolume? PersistentVolume { get; init; }

    [JsonPropertyName("logNotStore")]
    public bool? LogNotStore { get; init; }

    [JsonPropertyName("persistentVolumes")]
    public IReadOnlyList<DisaggregatedVolume>? PersistentVolumes { get; init; }

    [JsonPropertyName("tolerations")]
    public IReadOnlyList<Toleration>? Tolerations { get; init; }

    [JsonPropertyName("service")]
    public DisaggregatedService? Service { get; init; }

    [JsonPropertyName("configMaps")]
    public IReadOnlyList<ConfigMapMount>? ConfigMaps { get; init; }

    [JsonPropertyName("nodeSelector")]
    public IReadOnlyDictionary<string, string>? NodeSelector { get; init; }

    [JsonPropertyName("serviceAccount")]
    public string? ServiceAccount { get; init; }

    [JsonPropertyName("hostAliases")]
    public IReadOnlyList<HostAlias>? HostAliases { get; init; }

    [JsonPropertyName("securityContext")]
    public PodSecurityContext? SecurityContext { get; init; }

    [JsonPropertyName("containerSecurityContext")]
    public SecurityContext? ContainerSecurityContext { get; init; }

    [JsonPropertyName("envVars")]
    public IReadOnlyList<EnvVar>? EnvVars { get; init; }

    [JsonPropertyName("systemInitialization")]
    public V1.SystemInitialization? SystemInitialization { get; init; }

    [JsonPropertyName("secrets")]
    public IReadOnlyList<V1.SecretMount>? Secrets { get; init; }

    /// <summary>
    /// dorisctl extension (upstream manifests omit it): where the pods may run with respect to Spot capacity.
    /// avoid: never on Spot (default for the meta service and FE); allowed; preferred; required: Spot only. A compute
    /// group keeps no data of its own, so it may run on Spot; the operator takes a member out of the FE before its
    /// node goes.
    /// </summary>
    [JsonPropertyName("spotPolicy")]
    [SchemaEnum("avoid", "allowed", "preferred", "required")]
    public string? SpotPolicy { get; init; }

    /// <summary>dorisctl extension: whether the operator keeps a PodDisruptionBudget for this component (default true).</summary>
    [JsonPropertyName("enablePodDisruptionBudget")]
    public bool? EnablePodDisruptionBudget { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}

/// <summary>Claims per pod, mounted at one or more paths (upstream: one claim template per path).</summary>
public sealed record DisaggregatedVolume
{
    [JsonPropertyName("persistentVolumeClaimSpec")]
    public PersistentVolumeClaimSpec? PersistentVolumeClaimSpec { get; init; }

    [JsonPropertyName("mountPaths")]
    public IReadOnlyList<string>? MountPaths { get; init; }

    [JsonPropertyName("logNotStore")]
    public bool? LogNotStore { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("provisioner")]
    public string? Provisioner { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}

/// <summary>A component's access Service.</summary>
public sealed record DisaggregatedService
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("portMaps")]
    public IReadOnlyList<PortMap>? PortMaps { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}

/// <summary>A fixed node port for one of the container's ports.</summary>
public sealed record PortMap
{
    [JsonPropertyName("nodePort")]
    public int? NodePort { get; init; }

    [JsonPropertyName("targetPort")]
    public int? TargetPort { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}

/// <summary>A ConfigMap mounted into the pods; the one holding the component's conf file is found by its key.</summary>
public sealed record ConfigMapMount
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("mountPath")]
    public string? MountPath { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
