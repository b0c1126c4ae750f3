using System.Text.Json.Serialization;
using Doris.Api.V1;

namespace Doris.Api.Serialization;

/// <summary>Source-generated JSON for the DorisCluster types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DorisCluster))]
[JsonSerializable(typeof(DorisClusterStatus))]
[JsonSerializable(typeof(Disaggregated.DorisDisaggregatedCluster))]
public sealed partial class DorisApiJsonContext : JsonSerializerContext;
