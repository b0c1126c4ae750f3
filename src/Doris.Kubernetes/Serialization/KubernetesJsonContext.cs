using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Doris.Kubernetes.Models;

namespace Doris.Kubernetes.Serialization;

/// <summary>Source-generated JSON for every top-level Kubernetes object we read or write (no reflection at run time).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(CustomResourceDefinition))]
[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(StatefulSet))]
[JsonSerializable(typeof(HorizontalPodAutoscalerV1))]
[JsonSerializable(typeof(Scale))]
[JsonSerializable(typeof(HorizontalPodAutoscaler))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(PersistentVolumeClaim))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(ServiceAccount))]
[JsonSerializable(typeof(PodDisruptionBudget))]
[JsonSerializable(typeof(ClusterRole))]
[JsonSerializable(typeof(ClusterRoleBinding))]
[JsonSerializable(typeof(Role))]
[JsonSerializable(typeof(RoleBinding))]
[JsonSerializable(typeof(StorageClass))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(WatchEvent))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class KubernetesJsonContext : JsonSerializerContext;
