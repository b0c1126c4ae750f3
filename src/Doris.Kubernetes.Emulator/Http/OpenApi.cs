using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Doris.Kubernetes.Emulator.Registry;
using Doris.Kubernetes.Emulator.Storage;
using Doris.Kubernetes.Models;
using Doris.Kubernetes.Schema;
using Doris.Kubernetes.Serialization;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>
/// <c>/openapi/v3</c>: an index of group versions and, per group version, the paths (with the
/// <c>fieldValidation</c> parameter kubectl looks for before leaving strict validation to the server) and
/// component schemas, generated from our own object model for built-in kinds and from CRD schemas.
/// </summary>
internal static class OpenApi
{
    private static readonly Lazy<Dictionary<string, JsonTypeInfo>> BuiltInTypes = new(KindsOfTheModel);

    // Every kind of the model assembly. A trimmed or native build keeps that assembly whole (TrimmerRootAssembly in
    // Doris.Cli.csproj), so no kind goes missing from the served schema.
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Doris.Kubernetes is a trimmer root assembly.")]
    private static Dictionary<string, JsonTypeInfo> KindsOfTheModel() =>
        typeof(Pod).Assembly.GetTypes()
            .Select(t => (Type: t, Kind: t.GetCustomAttribute<KubernetesKindAttribute>()))
            .Where(x => x.Kind is not null && typeof(IKubernetesObject).IsAssignableFrom(x.Type))
            .Select(x => (Key: $"{x.Kind!.ApiVersion}/{x.Kind.Kind}", Info: KubernetesJsonContext.Default.GetTypeInfo(x.Type)))
            .Where(x => x.Info is not null)
            .ToDictionary(x => x.Key, x => x.Info!, StringComparer.Ordinal);

    public static JsonObject Index(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var gv in registry.All.GroupBy(t => t.Group.Length == 0 ? $"api/{t.Version}" : $"apis/{t.Group}/{t.Version}"))
        {
            paths[gv.Key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv.Key}?hash={Hash(registry, gv.Key)}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject GroupVersion(ResourceRegistry registry, string key)
    {
        var types = registry.All.Where(t => (t.Group.Length == 0 ? $"api/{t.Version}" : $"apis/{t.Group}/{t.Version}") == key).ToList();
        if (types.Count == 0)
        {
            throw Discovery.NotFound();
        }

        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var t in types)
        {
            var schemaName = $"{(t.Group.Length == 0 ? "io.k8s.api.core" : t.Group)}.{t.Version}.{t.Kind}";
            schemas[schemaName] = Schema(registry, t);
            var item = t.Namespaced ? $"/{key}/namespaces/{{namespace}}/{t.Plural}/{{name}}" : $"/{key}/{t.Plural}/{{name}}";
            var collection = t.Namespaced ? $"/{key}/namespaces/{{namespace}}/{t.Plural}" : $"/{key}/{t.Plural}";
            paths[collection] = new JsonObject { ["post"] = Operation(t, "create", schemaName) };
            paths[item] = new JsonObject
            {
                ["get"] = Operation(t, "read", schemaName),
                ["put"] = Operation(t, "replace", schemaName),
                ["patch"] = Operation(t, "patch", schemaName),
                ["delete"] = Operation(t, "delete", schemaName),
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.34.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static JsonObject Operation(ResourceType t, string verb, string schemaName)
    {
        var parameters = new JsonArray();
        if (verb is "create" or "replace" or "patch")
        {
            parameters.Add((JsonNode)new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } });
            parameters.Add((JsonNode)new JsonObject { ["name"] = "dryRun", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } });
        }

        return new JsonObject
        {
            ["operationId"] = $"{verb}{t.Kind}",
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{schemaName}" } } },
                },
            },
            ["x-kubernetes-action"] = verb == "replace" ? "put" : verb == "read" ? "get" : verb == "create" ? "post" : verb,
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind },
        };
    }

    private static JsonObject Schema(ResourceRegistry registry, ResourceType t)
    {
        var schema = registry.CustomVersion(t)?["schema"]?["openAPIV3Schema"] is JsonObject crd
            ? (JsonObject)crd.DeepClone()
            : BuiltInTypes.Value.TryGetValue($"{t.ApiVersion}/{t.Kind}", out var info) ? StructuralSchemaGenerator.Generate(info) : new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind });
        return schema;
    }

    /// <summary>Changes whenever the served types change, so clients refetch after a CRD is registered.</summary>
    private static string Hash(ResourceRegistry registry, string key) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(";", registry.All.Select(t => $"{t.ApiVersion}/{t.Kind}/{registry.CustomVersion(t)?.ToJsonString()}")) + key)))[..16];
}
