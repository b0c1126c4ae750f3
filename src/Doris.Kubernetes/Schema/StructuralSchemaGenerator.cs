using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Doris.Kubernetes.Models;

namespace Doris.Kubernetes.Schema;

/// <summary>
/// Builds an OpenAPI v3 structural schema (what a CustomResourceDefinition needs) from source-generated
/// JSON metadata, so the CRD we publish is the schema our own types actually read and write.
/// </summary>
public static class StructuralSchemaGenerator
{
    /// <summary>The quantity grammar the API server enforces, kept in the schema so kubectl rejects bad values early.</summary>
    public const string QuantityPattern = @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    /// <param name="describe">The description of a field (what <c>kubectl explain</c> shows), if any.</param>
    public static JsonObject Generate(JsonTypeInfo typeInfo, IReadOnlyDictionary<string, JsonObject>? overrides = null, Func<SchemaField, string?>? describe = null) =>
        new Walk(typeInfo.Options, overrides ?? new Dictionary<string, JsonObject>(), describe).ForType(typeInfo.Type, string.Empty, null, []);

    private sealed record Walk(JsonSerializerOptions Options, IReadOnlyDictionary<string, JsonObject> Overrides, Func<SchemaField, string?>? Describe)
    {
        public JsonObject ForType(Type type, string path, string? kubernetesPath, HashSet<Type> stack) =>
            StructuralSchemaGenerator.ForType(type, Options, Overrides, path, stack, this, kubernetesPath);
    }

    private static JsonObject ForType(Type type, JsonSerializerOptions options, IReadOnlyDictionary<string, JsonObject> overrides, string path, HashSet<Type> stack, Walk walk, string? kubernetesPath)
    {
        if (overrides.TryGetValue(path, out var fixedSchema))
        {
            return (JsonObject)fixedSchema.DeepClone();
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(int))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int32" };
        }

        if (type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int64" };
        }

        if (type == typeof(double))
        {
            return new JsonObject { ["type"] = "number", ["format"] = "double" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(DateTimeOffset))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }

        if (type == typeof(Quantity))
        {
            return new JsonObject
            {
                ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
                ["pattern"] = QuantityPattern,
                ["x-kubernetes-int-or-string"] = true,
            };
        }

        if (type == typeof(IntOrString))
        {
            return new JsonObject
            {
                ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
                ["x-kubernetes-int-or-string"] = true,
            };
        }

        if (type == typeof(JsonElement) || type == typeof(JsonNode))
        {
            return new JsonObject { ["x-kubernetes-preserve-unknown-fields"] = true };
        }

        var info = options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable:
                return new JsonObject { ["type"] = "array", ["items"] = walk.ForType(info.ElementType!, path + "[]", kubernetesPath, stack) };
            case JsonTypeInfoKind.Dictionary:
                return new JsonObject { ["type"] = "object", ["additionalProperties"] = walk.ForType(info.ElementType!, path + "{}", kubernetesPath, stack) };
            case JsonTypeInfoKind.Object:
                if (!stack.Add(type))
                {
                    // Recursive types cannot be expressed without $ref, which structural schemas forbid.
                    return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
                }

                // Inside a Kubernetes type, fields are named from the outermost Kubernetes type down (Affinity.nodeAffinity...).
                var kubernetesRoot = kubernetesPath ?? (type.Namespace == typeof(Quantity).Namespace ? type.Name : null);
                var properties = new JsonObject();
                var required = new JsonArray();
                foreach (var property in info.Properties.OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (property.IsExtensionData)
                    {
                        continue;
                    }

                    var child = path.Length == 0 ? property.Name : path + "." + property.Name;
                    var childKubernetesPath = kubernetesRoot is null ? null : kubernetesRoot + "." + property.Name;
                    var schema = walk.ForType(property.PropertyType, child, childKubernetesPath, stack);
                    if (walk.Describe?.Invoke(new SchemaField(type, property.Name, child, childKubernetesPath, property.PropertyType)) is { } description)
                    {
                        schema["description"] = description;
                    }

                    var attributes = property.AttributeProvider?.GetCustomAttributes(true) ?? [];
                    foreach (var attribute in attributes)
                    {
                        switch (attribute)
                        {
                            case MinimumAttribute min:
                                schema["minimum"] = min.Value;
                                break;
                            case MaximumAttribute max:
                                schema["maximum"] = max.Value;
                                break;
                            case SchemaEnumAttribute values:
                                schema["enum"] = new JsonArray([.. values.Values.Select(v => (JsonNode?)JsonValue.Create(v))]);
                                break;
                            case KubernetesRequiredAttribute:
                                required.Add((JsonNode)JsonValue.Create(property.Name));
                                break;
                        }
                    }

                    properties[property.Name] = schema;
                }

                stack.Remove(type);
                var result = new JsonObject { ["type"] = "object", ["properties"] = properties };
                if (required.Count > 0)
                {
                    result["required"] = required;
                }

                return result;
            default:
                throw new NotSupportedException($"no schema mapping for {type}");
        }
    }
}

/// <summary>A field being described: its declaring type, JSON name, path from the root, inside a Kubernetes type its path from the outermost one, and its type.</summary>
public sealed record SchemaField(Type DeclaringType, string Name, string Path, string? KubernetesPath, Type PropertyType);
