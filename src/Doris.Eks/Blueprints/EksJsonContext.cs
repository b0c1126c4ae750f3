using System.Text.Json.Serialization;

namespace Doris.Eks.Blueprints;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Blueprint))]
public sealed partial class EksJsonContext : JsonSerializerContext;
