using System.Text.Json.Serialization;
using Doris.Kubernetes.Client.Auth;

namespace Doris.Kubernetes.Client.Config;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KubeConfig))]
[JsonSerializable(typeof(ExecCredential))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
