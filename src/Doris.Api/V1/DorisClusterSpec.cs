using System.Text.Json;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;

namespace Doris.Api.V1;

/// <summary>The desired cluster: one section per component, plus shared credentials and volumes.</summary>
public sealed record DorisClusterSpec
{
    [JsonPropertyName("feSpec")]
    public FeSpec? FeSpec { get; init; }

    [JsonPropertyName("beSpec")]
    public BeSpec? BeSpec { get; init; }

    [JsonPropertyName("cnSpec")]
    public CnSpec? CnSpec { get; init; }

    [JsonPropertyName("brokerSpec")]
    public BrokerSpec? BrokerSpec { get; init; }

    [JsonPropertyName("adminUser")]
    public AdminUser? AdminUser { get; init; }

    [JsonPropertyName("authSecret")]
    public string? AuthSecret { get; init; }

    [JsonPropertyName("enableRestartWhenConfigChange")]
    public bool? EnableRestartWhenConfigChange { get; init; }

    /// <summary>
    /// dorisctl extension (upstream manifests omit it): set each BE's and CN's <c>tag.location</c> to its node's
    /// availability zone (<c>us-east-1a</c> becomes <c>us_east_1a</c>), so tables whose replication_allocation names
    /// the zones keep one replica per zone. Off by default: tables that use the default allocation
    /// (<c>tag.location.default</c>) cannot be created or repaired once no BE carries the default tag.
    /// </summary>
    [JsonPropertyName("enableZoneLocationTags")]
    public bool? EnableZoneLocationTags { get; init; }

    [JsonPropertyName("kerberosInfo")]
    public KerberosInfo? KerberosInfo { get; init; }

    [JsonPropertyName("sharedPersistentVolumeClaims")]
    public IReadOnlyList<SharedPersistentVolumeClaim>? SharedPersistentVolumeClaims { get; init; }

    /// <summary>Fields we do not know, kept so they are reported as unknown rather than silently lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unmodelled { get; set; }
}
