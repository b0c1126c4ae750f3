using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Storage;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>
/// What kube-apiserver fills in or normalises on every write, for the fields clients read back and act on
/// (a Secret's stringData becomes data; workload defaults):
/// <c>kubectl rollout status</c> refuses a StatefulSet without an update strategy, and <c>rollout history</c> and
/// the simulated controller read the history limit. Values from the Kubernetes API reference (apps/v1).
/// </summary>
internal static class Defaults
{
    public static void Apply(ResourceType type, JsonObject obj)
    {
        if (type is { Group: "", Kind: "Secret" })
        {
            StringDataIntoData(obj);
            if (obj["type"] is null || (obj["type"] is JsonValue t && t.TryGetValue<string>(out var kind) && kind.Length == 0))
            {
                obj["type"] = "Opaque";
            }

            return;
        }

        if (type.Group != "apps" || obj["spec"] is not JsonObject spec)
        {
            return;
        }

        switch (type.Kind)
        {
            case "StatefulSet":
                spec.TryAdd("replicas", 1);
                spec.TryAdd("podManagementPolicy", "OrderedReady");
                spec.TryAdd("revisionHistoryLimit", 10);
                spec.TryAdd("updateStrategy", new JsonObject { ["type"] = "RollingUpdate" });
                if (spec["updateStrategy"] is JsonObject { } update && (string?)update["type"] == "RollingUpdate")
                {
                    update.TryAdd("rollingUpdate", new JsonObject());
                    (update["rollingUpdate"] as JsonObject)?.TryAdd("partition", 0);
                }

                spec.TryAdd("persistentVolumeClaimRetentionPolicy", new JsonObject { ["whenDeleted"] = "Retain", ["whenScaled"] = "Retain" });
                break;
            case "Deployment":
                spec.TryAdd("replicas", 1);
                spec.TryAdd("revisionHistoryLimit", 10);
                spec.TryAdd("progressDeadlineSeconds", 600);
                spec.TryAdd("strategy", new JsonObject { ["type"] = "RollingUpdate" });
                if (spec["strategy"] is JsonObject { } strategy && (string?)strategy["type"] == "RollingUpdate")
                {
                    strategy.TryAdd("rollingUpdate", new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = "25%" });
                }

                break;
        }
    }

    // As kube-apiserver: a Secret's stringData is write-only; its entries are stored base64-encoded under data
    // (winning over a data entry of the same key) and stringData itself is never stored or returned.
    private static void StringDataIntoData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject plain)
        {
            secret.Remove("stringData");
            return;
        }

        var data = secret["data"] as JsonObject ?? [];
        secret["data"] = data;
        foreach (var (key, value) in plain)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var text))
            {
                data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
            }
        }

        secret.Remove("stringData");
    }
}
