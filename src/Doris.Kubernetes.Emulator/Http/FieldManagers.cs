using System.Globalization;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Fields;
using Doris.Kubernetes.Emulator.Registry;
using Doris.Kubernetes.Emulator.Storage;
using Microsoft.AspNetCore.Http;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>Who a write is from, as kube-apiserver names the field manager, and the hook that records it.</summary>
internal static class FieldManagers
{
    private const int MaxManagerLength = 128;

    public static FieldWriter For(HttpContext http, ResourceType type, ResourceRegistry registry, TimeProvider time, string? subresource, bool apply)
    {
        var manager = http.Request.Query["fieldManager"].ToString();
        if (apply && manager.Length == 0)
        {
            throw new ApiError(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch") { Causes = [new("fieldManager", "Required value: is required for apply patch", "FieldValueRequired")] };
        }

        if (manager.Length == 0)
        {
            // As kube-apiserver: the client's User-Agent up to its first '/' ("kubectl", "python-requests", ...).
            var agent = http.Request.Headers.UserAgent.ToString();
            manager = agent.Split('/')[0] is { Length: > 0 } prefix ? prefix : "unknown";
            manager = manager.Length > MaxManagerLength ? manager[..MaxManagerLength] : manager;
        }
        else if (manager.Length > MaxManagerLength)
        {
            throw new ApiError(422, "Invalid", $"fieldManager: Too long: may not be more than {MaxManagerLength} bytes") { Causes = [new("fieldManager", $"Too long: may not be more than {MaxManagerLength} bytes", "FieldValueTooLong")] };
        }

        var schema = FieldSchema.Custom(registry.CustomVersion(type)?["schema"]?["openAPIV3Schema"] as JsonObject);
        var now = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new FieldWriter(manager, type.ApiVersion, now, schema, type.HasStatusSubresource, subresource);
    }

    /// <summary>The store hook for an ordinary write: the writer owns what it changed.</summary>
    public static Action<JsonObject?, JsonObject> Track(FieldWriter writer) => (old, next) => ManagedFields.RecordUpdate(old, next, writer);
}
