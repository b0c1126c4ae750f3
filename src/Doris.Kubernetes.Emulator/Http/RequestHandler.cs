using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doris.Kubernetes.Emulator.Fields;
using Doris.Kubernetes.Emulator.Registry;
using Doris.Kubernetes.Emulator.Storage;
using Doris.Kubernetes.Serialization;
using Microsoft.AspNetCore.Http;

namespace Doris.Kubernetes.Emulator.Http;

/// <summary>Maps Kubernetes REST paths and verbs onto the store, and every failure onto a <c>Status</c> body.</summary>
internal sealed class RequestHandler(ObjectStore store, ResourceRegistry registry, Faults faults, TimeProvider time, EmulatorOptions options)
{
    /// <summary>Where a pod's port leads (namespace, pod, port → a loopback endpoint), for port forwarding; set by the simulation.</summary>
    public Func<string, string, int, System.Net.IPEndPoint?>? PortTargets { get; set; }

    /// <summary>The API server's request body limit (3 MiB).</summary>
    public const int MaxBodyBytes = 3 * 1024 * 1024;

    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            if (faults.Delay > TimeSpan.Zero)
            {
                await Task.Delay(faults.Delay, http.RequestAborted).ConfigureAwait(false);
            }

            if (!Authorized(http.Request.Headers.Authorization.ToString(), options.BearerToken!))
            {
                throw new ApiError(401, "Unauthorized", "Unauthorized");
            }

            var watch = http.Request.Method == "GET" && GoBool(http.Request.Query["watch"]);
            if (faults.Take(http.Request.Method, watch) is { } failure)
            {
                if (failure.RetryAfter is { } after)
                {
                    http.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                throw new ApiError(failure.Code, ReasonFor(failure.Code), $"injected failure {failure.Code}");
            }

            await DispatchAsync(http).ConfigureAwait(false);
        }
        catch (ApiError e)
        {
            await WriteAsync(http, e.Code, e.ToStatus()).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // the client went away (a closed watch)
        }
#pragma warning disable CA1031 // the server's last line: every failure is a Status body, never an empty 500
        catch (Exception e) when (!http.Response.HasStarted)
#pragma warning restore CA1031
        {
            await WriteAsync(http, 500, new ApiError(500, "InternalError", $"Internal error occurred: {e.GetType().Name}: {e.Message}").ToStatus()).ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(HttpContext http)
    {
        var segments = (http.Request.Path.Value ?? "/").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments)
        {
            case ["version"]:
                await WriteAsync(http, 200, Discovery.Version()).ConfigureAwait(false);
                return;
            case ["healthz" or "livez" or "readyz"]:
                http.Response.ContentType = "text/plain";
                await http.Response.WriteAsync("ok", http.RequestAborted).ConfigureAwait(false);
                return;
            case ["api"]:
                await WriteAsync(http, 200, Discovery.CoreVersions()).ConfigureAwait(false);
                return;
            case ["openapi", "v3"]:
                await WriteAsync(http, 200, OpenApi.Index(registry)).ConfigureAwait(false);
                return;
            case ["openapi", "v3", .. var gv]:
                await WriteAsync(http, 200, OpenApi.GroupVersion(registry, string.Join("/", gv))).ConfigureAwait(false);
                return;
            case ["apis"]:
                await WriteAsync(http, 200, Discovery.Groups(registry)).ConfigureAwait(false);
                return;
            case ["api", var v]:
                await WriteAsync(http, 200, Discovery.Serves(registry, string.Empty, v) ? Discovery.Resources(registry, string.Empty, v) : throw Discovery.NotFound()).ConfigureAwait(false);
                return;
            case ["apis", var g]:
                var versions = registry.All.Where(t => t.Group == g).Select(t => t.Version).Distinct().ToList();
                await WriteAsync(http, 200, versions.Count > 0 ? Discovery.Group(g, versions) : throw Discovery.NotFound()).ConfigureAwait(false);
                return;
            case ["apis", var g, var v]:
                await WriteAsync(http, 200, Discovery.Serves(registry, g, v) ? Discovery.Resources(registry, g, v) : throw Discovery.NotFound()).ConfigureAwait(false);
                return;
            case ["api", var v, .. var rest] when rest.Length > 0:
                await ResourceAsync(http, string.Empty, v, rest).ConfigureAwait(false);
                return;
            case ["apis", var g, var v, .. var rest] when rest.Length > 0:
                await ResourceAsync(http, g, v, rest).ConfigureAwait(false);
                return;
            default:
                throw Discovery.NotFound();
        }
    }

    private async Task ResourceAsync(HttpContext http, string group, string version, string[] rest)
    {
        ResourceType? type;
        string? ns = null;
        string? name;
        string? sub;
        if (rest is ["namespaces", var n, var plural, ..] && registry.Find(group, version, plural) is { Namespaced: true } namespaced)
        {
            (type, ns, name, sub) = (namespaced, n, rest.ElementAtOrDefault(3), rest.ElementAtOrDefault(4));
        }
        else
        {
            (type, name, sub) = (registry.Find(group, version, rest[0]), rest.ElementAtOrDefault(1), rest.ElementAtOrDefault(2));
        }

        if (type is not null && sub == "eviction" && type is { Kind: "Pod", Group: "" } && ns is not null && name is not null)
        {
            await EvictAsync(http, type, ns, name).ConfigureAwait(false);
            return;
        }

        if (type is { Kind: "Pod", Group: "" } && sub == "portforward" && ns is not null && name is not null)
        {
            await PortForward.ServeAsync(http, store, type, ns, name, PortTargets).ConfigureAwait(false);
            return;
        }

        if (type is { Kind: "Pod", Group: "" } && sub == "log" && ns is not null && name is not null && http.Request.Method == "GET")
        {
            await LogView.ServeAsync(http, store, time, type, ns, name).ConfigureAwait(false);
            return;
        }

        if (type is null || sub is not (null or "status" or "scale") || sub == "status" && !type.HasStatusSubresource || sub == "scale" && type.Scale is null || type.Namespaced && ns is null && name is not null)
        {
            throw Discovery.NotFound();
        }

        var query = http.Request.Query;
        var dryRun = DryRun(query["dryRun"]);
        T Write<T>(Func<T> action) => dryRun ? store.DryRun(action) : action();
        void After(ResourceType t, JsonObject o, bool deleted)
        {
            if (!dryRun)
            {
                AfterWrite(t, o, deleted);
            }
        }

        if (type.Kind is "SelfSubjectAccessReview" or "SelfSubjectReview")
        {
            await ReviewAsync(http, type).ConfigureAwait(false);
            return;
        }

        if (sub == "scale")
        {
            await ScaleAsync(http, type, ns, name!, dryRun).ConfigureAwait(false);
            return;
        }

        switch (http.Request.Method)
        {
            case "GET" when name is null && GoBool(query["watch"]):
                // kubectl get -w asks for Tables on the watch too: each event then carries a one-row Table.
                Func<JsonObject, JsonObject>? asTable = WantsTable(http) ? o => TableWriter.Write(type, [o], registry.CustomVersion(type), store.CurrentResourceVersion, time, query["includeObject"]) : null;
                await WatchStreamer.StreamAsync(http, store, type, ns, options.BookmarkInterval, time, faults, asTable).ConfigureAwait(false);
                break;
            case "GET" when name is null:
                var page = store.List(type, ns, LabelSelector.Parse(query["labelSelector"]), query["fieldSelector"], Int(query["limit"]), query["continue"]);
                if (WantsTable(http))
                {
                    var table = TableWriter.Write(type, page.Items, registry.CustomVersion(type), page.ResourceVersion, time, query["includeObject"]);
                    if (page.Continue is not null)
                    {
                        // kubectl asks for tables 500 rows at a time and follows this token for the rest.
                        ((JsonObject)table["metadata"]!)["continue"] = page.Continue;
                    }

                    await WriteAsync(http, 200, table).ConfigureAwait(false);
                    break;
                }

                var metadata = new JsonObject { ["resourceVersion"] = page.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
                if (page.Continue is not null)
                {
                    metadata["continue"] = page.Continue;
                }

                await WriteAsync(http, 200, new JsonObject
                {
                    ["apiVersion"] = type.ApiVersion,
                    ["kind"] = type.ListKind,
                    ["metadata"] = metadata,
                    ["items"] = new JsonArray([.. page.Items]),
                }).ConfigureAwait(false);
                break;
            case "GET":
                var obj = store.Get(type, ns, name!);
                await WriteAsync(http, 200, WantsTable(http) ? TableWriter.Write(type, [obj], registry.CustomVersion(type), store.CurrentResourceVersion, time, query["includeObject"]) : obj).ConfigureAwait(false);
                break;
            case "POST" when name is null:
                RequireNamespace(type, ns);
                var toCreate = Validate(type, ObjectMetaRules.Check(type, await ObjectBodyAsync(http, type).ConfigureAwait(false)), query["fieldValidation"]);
                var creator = FieldManagers.For(http, type, registry, time, subresource: null, apply: false);
                var created = Write(() => store.Create(type, ns, toCreate, FieldManagers.Track(creator)));
                After(type, created, deleted: false);
                await WriteAsync(http, 201, created).ConfigureAwait(false);
                break;
            case "PUT" when name is not null:
                var toUpdate = Validate(type, ObjectMetaRules.Check(type, await ObjectBodyAsync(http, type).ConfigureAwait(false)), query["fieldValidation"]);
                var updater = FieldManagers.For(http, type, registry, time, subresource: sub, apply: false);
                var updated = Write(() => store.Update(type, ns, name, toUpdate, sub == "status", FieldManagers.Track(updater)));
                After(type, updated, deleted: false);
                await WriteAsync(http, 200, updated).ConfigureAwait(false);
                break;
            case "PATCH" when name is not null:
                await PatchAsync(http, type, ns, name, sub == "status", dryRun).ConfigureAwait(false);
                break;
            case "DELETE" when name is not null:
                var deleteOptions = http.Request.ContentLength > 0 ? await BodyAsync(http).ConfigureAwait(false) : new JsonObject();
                if (deleteOptions["dryRun"] is JsonArray bodyDryRun)
                {
                    // kubectl delete --dry-run=server says it in the DeleteOptions body, not the query.
                    dryRun |= DryRun(new Microsoft.Extensions.Primitives.StringValues([.. bodyDryRun.Select(v => ObjectStore.Str(v))]));
                }

                var policy = ObjectMetaRules.PropagationPolicy(deleteOptions["propagationPolicy"] ?? (query["propagationPolicy"].ToString() is { Length: > 0 } p ? JsonValue.Create(p) : null));
                var deleted = Write(() => type == ResourceRegistry.Namespaces ? DeleteNamespace(name) : store.Delete(type, ns, name, policy));
                After(type, deleted, deleted: true);
                await WriteAsync(http, 200, deleted).ConfigureAwait(false);
                break;
            case "DELETE":
                foreach (var item in store.List(type, ns, LabelSelector.Parse(query["labelSelector"]), query["fieldSelector"], null, null).Items)
                {
                    Write(() => store.Delete(type, ObjectStore.Str(item["metadata"]!["namespace"]), ObjectStore.Str(item["metadata"]!["name"])!, null));
                }

                await WriteAsync(http, 200, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success" }).ConfigureAwait(false);
                break;
            default:
                throw new ApiError(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource");
        }
    }

    /// <summary>
    /// The eviction subresource (kubectl drain, Karpenter, the cluster autoscaler): refused with 429 while a
    /// PodDisruptionBudget selecting the pod allows no disruption (its status, kept by the disruption controller),
    /// otherwise the budget's allowance is spent and the pod deleted, atomically, so two evictions cannot both
    /// take the last allowance.
    /// </summary>
    private async Task EvictAsync(HttpContext http, ResourceType pods, string ns, string name)
    {
        if (http.Request.Method != "POST")
        {
            throw new ApiError(405, "MethodNotAllowed", "pods/eviction can only be created");
        }

        _ = await BodyAsync(http).ConfigureAwait(false);
        var budgets = registry.Find("policy", "v1", "poddisruptionbudgets")!;
        store.Atomically(() =>
        {
            var pod = store.Get(pods, ns, name);
            var labels = ObjectStore.Labels(pod);
            foreach (var pdb in store.List(budgets, ns, LabelSelector.Everything, null, null, null).Items)
            {
                var selector = pdb["spec"]?["selector"]?["matchLabels"] as JsonObject ?? [];
                if (selector.Count == 0 || !selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == ObjectStore.Str(kv.Value)))
                {
                    continue;
                }

                var allowed = (int?)pdb["status"]?["disruptionsAllowed"] ?? 0;
                var pdbName = ObjectStore.Str(pdb["metadata"]?["name"]);
                if (allowed <= 0)
                {
                    throw new ApiError(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", pods, name)
                    {
                        Causes = [new ApiError.Cause(string.Empty, $"The disruption budget {pdbName} needs {(int?)pdb["status"]?["desiredHealthy"] ?? 0} healthy pods and has {(int?)pdb["status"]?["currentHealthy"] ?? 0} currently", "DisruptionBudget")],
                    };
                }

                pdb["status"]!["disruptionsAllowed"] = allowed - 1;
                store.Update(budgets, ns, pdbName!, pdb, statusSubresource: true);
            }

            return store.Delete(pods, ns, name, null);
        });
        await WriteAsync(http, 201, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 }).ConfigureAwait(false);
    }

    // As the NamespaceLifecycle admission plugin: nothing is created in a namespace that does not exist or is going.
    private void RequireNamespace(ResourceType type, string? ns)
    {
        if (!type.Namespaced || ns is null)
        {
            return;
        }

        JsonObject live;
        try
        {
            live = store.Get(ResourceRegistry.Namespaces, null, ns);
        }
        catch (ApiError e) when (e.Code == 404)
        {
            throw ApiError.NotFound(ResourceRegistry.Namespaces, ns);
        }

        if (live["metadata"]?["deletionTimestamp"] is not null)
        {
            throw new ApiError(403, "Forbidden", $"{type.Plural} is forbidden: unable to create new content in namespace {ns} because it is being terminated", type);
        }
    }

    // Deleting a namespace deletes what is in it (the namespace controller's job), then the namespace.
    private JsonObject DeleteNamespace(string name)
    {
        _ = store.Get(ResourceRegistry.Namespaces, null, name); // 404 before anything is touched
        foreach (var t in registry.All.Where(t => t.Namespaced))
        {
            foreach (var item in store.List(t, name, LabelSelector.Everything, null, null, null).Items)
            {
                try
                {
                    store.Delete(t, name, ObjectStore.Str(item["metadata"]!["name"])!, "Background");
                }
                catch (ApiError e) when (e.Code == 404)
                {
                    // collected with its owner meanwhile
                }
            }
        }

        return store.Delete(ResourceRegistry.Namespaces, null, name, null);
    }

    /// <summary>
    /// The emulator has one identity, the holder of its token, and no authorization beyond it: every access review
    /// is allowed and says why, and <c>kubectl auth whoami</c> names that identity.
    /// </summary>
    private async Task ReviewAsync(HttpContext http, ResourceType type)
    {
        if (http.Request.Method != "POST")
        {
            throw new ApiError(405, "MethodNotAllowed", $"{type.Plural} can only be created");
        }

        // kubectl auth can-i and auth whoami send their reviews as protobuf; other clients send JSON.
        var review = (http.Request.ContentType ?? string.Empty).Contains("protobuf", StringComparison.Ordinal)
            ? Protobuf.Review(await RawBodyAsync(http).ConfigureAwait(false), type.Kind)
            : await BodyAsync(http).ConfigureAwait(false);
        review["apiVersion"] = type.ApiVersion;
        review["kind"] = type.Kind;
        review["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        review["status"] = type.Kind == "SelfSubjectReview"
            ? new JsonObject { ["userInfo"] = new JsonObject { ["username"] = "dorisctl-emulator-admin", ["groups"] = new JsonArray("system:masters", "system:authenticated") } }
            : new JsonObject { ["allowed"] = true, ["reason"] = "the emulator has no authorization: whoever holds its token may do everything" };
        await WriteAsync(http, 201, review).ConfigureAwait(false);
    }

    /// <summary>
    /// The <c>/scale</c> subresource of a custom resource: an autoscaling/v1 Scale read from the CRD's replica and
    /// selector paths; a PUT or PATCH writes only the spec replicas (with the Scale's resourceVersion as precondition).
    /// </summary>
    private async Task ScaleAsync(HttpContext http, ResourceType type, string? ns, string name, bool dryRun)
    {
        var scale = ScaleView.Read(type, store.Get(type, ns, name));
        JsonObject wanted;
        switch (http.Request.Method)
        {
            case "GET":
                await WriteAsync(http, 200, scale).ConfigureAwait(false);
                return;
            case "PUT":
                wanted = await BodyAsync(http).ConfigureAwait(false);
                break;
            case "PATCH":
                var contentType = http.Request.ContentType?.Split(';')[0].Trim();
                var body = await BodyNodeAsync(http).ConfigureAwait(false);
                wanted = (contentType == "application/json-patch+json"
                    ? Patches.Json(scale, body as JsonArray ?? throw ApiError.BadRequest("a JSON patch must be an array of operations"), MaxBodyBytes)
                    : Patches.Merge(scale, body)) as JsonObject ?? throw ApiError.BadRequest("the patch leaves no Scale object");
                break;
            default:
                throw new ApiError(405, "MethodNotAllowed", "the scale subresource allows get, update and patch");
        }

        var applied = Validate(type, ScaleView.Apply(type, store.Get(type, ns, name), wanted), null);
        var track = FieldManagers.Track(FieldManagers.For(http, type, registry, time, subresource: "scale", apply: false));
        var updated = dryRun ? store.DryRun(() => store.Update(type, ns, name, applied, statusSubresource: false, track)) : store.Update(type, ns, name, applied, statusSubresource: false, track);
        if (!dryRun)
        {
            AfterWrite(type, updated, deleted: false);
        }

        await WriteAsync(http, 200, ScaleView.Read(type, updated)).ConfigureAwait(false);
    }

    private async Task PatchAsync(HttpContext http, ResourceType type, string? ns, string name, bool status, bool dryRun)
    {
        var contentType = http.Request.ContentType?.Split(';')[0].Trim();
        if (contentType is not ("application/json-patch+json" or "application/merge-patch+json" or "application/strategic-merge-patch+json" or "application/apply-patch+yaml"))
        {
            throw new ApiError(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");
        }

        var custom = registry.CustomVersion(type) is not null;
        if (custom && contentType == "application/strategic-merge-patch+json")
        {
            // As kube-apiserver: custom resources carry no merge keys, so kubectl sends them merge patches.
            throw new ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        }

        var body = await BodyNodeAsync(http).ConfigureAwait(false);
        var fieldValidation = http.Request.Query["fieldValidation"].ToString();
        var apply = contentType == "application/apply-patch+yaml";
        var force = GoBool(http.Request.Query["force"]);
        if (force && !apply)
        {
            throw new ApiError(422, "Invalid", "force: Forbidden: may not be specified for non-apply patch") { Causes = [new("force", "Forbidden: may not be specified for non-apply patch", "FieldValueForbidden")] };
        }

        var writer = FieldManagers.For(http, type, registry, time, status ? "status" : null, apply);
        if (apply && body is not JsonObject)
        {
            throw ApiError.BadRequest("an apply patch must be an object");
        }

        // Read, patch and write with no other write in between, as kube-apiserver's guaranteed update retries until
        // it lands: a patch without a resourceVersion of its own never fails with a conflict it did not ask for.
        var (code, result) = (dryRun ? (Func<Func<(int, JsonObject)>, (int, JsonObject)>)store.DryRun : store.Atomically)(() =>
        {
            JsonObject? current = null;
            try
            {
                current = store.Get(type, ns, name);
            }
            catch (ApiError e) when (e.Code == 404 && apply)
            {
                // server-side apply creates what does not exist yet
            }

            if (current is null)
            {
                RequireNamespace(type, ns);
                var toCreate = Validate(type, ObjectMetaRules.Check(type, (JsonObject)body!.DeepClone()), fieldValidation);
                ManagedFields.Apply(null, (JsonObject)body!, toCreate, writer, force, type, name);
                return (201, store.Create(type, ns, toCreate));
            }

            var patched = contentType switch
            {
                "application/json-patch+json" => Patches.Json(current, body as JsonArray ?? throw ApiError.BadRequest("a JSON patch must be an array of operations"), MaxBodyBytes),
                "application/strategic-merge-patch+json" => StrategicMerge.Apply(current, body),
                "application/apply-patch+yaml" when !custom => StrategicMerge.Apply(current, body),
                _ => Patches.Merge(current, body),
            };
            if (patched is not JsonObject patchedObject)
            {
                throw ApiError.BadRequest("the patch leaves no object; a patch must keep the object a JSON object");
            }

            Patches.CheckSize(patchedObject, MaxBodyBytes);
            if (!apply)
            {
                return (200, store.Update(type, ns, name, Validate(type, ObjectMetaRules.Check(type, patchedObject), fieldValidation), status, FieldManagers.Track(writer)));
            }

            // Server-side apply: ownership decides what changes; the store keeps the managedFields it computed
            // (also for the status subresource, whose writes otherwise keep the stored metadata).
            ManagedFields.Apply(current, (JsonObject)body!, patchedObject, writer, force, type, name);
            var managed = patchedObject["metadata"]?["managedFields"];
            return (200, store.Update(type, ns, name, Validate(type, ObjectMetaRules.Check(type, patchedObject), fieldValidation), status, (_, next) =>
            {
                if (managed is not null)
                {
                    ((JsonObject)next["metadata"]!)["managedFields"] = managed.DeepClone();
                }
            }));
        });
        if (!dryRun)
        {
            AfterWrite(type, result, deleted: false);
        }

        await WriteAsync(http, code, result).ConfigureAwait(false);
    }

    // dryRun=All is the only value the API defines; anything else is refused rather than taken for a real write.
    private static bool DryRun(Microsoft.Extensions.Primitives.StringValues values) => values.Count switch
    {
        0 => false,
        _ when values.All(v => v == "All") => true,
        _ => throw ApiError.BadRequest($"dryRun: Unsupported value: \"{values}\": supported values: \"All\""),
    };

    /// <summary>Custom resources are checked against their CRD's schema: wrong types are 422, unknown fields pruned (or 400 with fieldValidation=Strict).</summary>
    private JsonObject Validate(ResourceType type, JsonObject obj, string? fieldValidation)
    {
        if (registry.CustomVersion(type)?["schema"]?["openAPIV3Schema"] is not { } schema)
        {
            Defaults.Apply(type, obj);
            return obj;
        }

        var violations = new Doris.Kubernetes.Schema.SchemaValidator().Validate(obj, schema).Where(v => !v.Path.StartsWith("metadata", StringComparison.Ordinal)).ToList();
        var unknown = violations.Where(v => v.Message.StartsWith("unknown field", StringComparison.Ordinal)).ToList();
        var invalid = violations.Except(unknown).ToList();
        var name = ObjectStore.Str(obj["metadata"]?["name"]) ?? string.Empty;
        if (invalid.Count > 0)
        {
            throw ApiError.Invalid(type, name, [.. invalid.Select(v => new ApiError.Cause(v.Path, v.Message))]);
        }

        if (unknown.Count > 0 && fieldValidation == "Strict")
        {
            throw ApiError.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {string.Join(", ", unknown.Select(v => $"unknown field \"{v.Path}\""))}");
        }

        foreach (var v in unknown)
        {
            Prune(obj, v.Path);
        }

        return obj;
    }

    private static void Prune(JsonObject root, string path)
    {
        var parts = path.Split('.');
        JsonNode? node = root;
        foreach (var part in parts[..^1])
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            node = bracket < 0 ? node?[part] : node?[part[..bracket]]?[int.Parse(part[(bracket + 1)..^1], CultureInfo.InvariantCulture)];
        }

        (node as JsonObject)?.Remove(parts[^1]);
    }

    private void AfterWrite(ResourceType type, JsonObject obj, bool deleted)
    {
        if (type != ResourceRegistry.CustomResourceDefinitions)
        {
            return;
        }

        var gone = deleted && obj["metadata"]?["deletionTimestamp"] is null;
        if (gone)
        {
            // Deleting a CRD deletes every object of it.
            var plural = ObjectStore.Str(obj["spec"]?["names"]?["plural"]);
            var group = ObjectStore.Str(obj["spec"]?["group"]);
            foreach (var t in registry.All.Where(t => t.Group == group && t.Plural == plural))
            {
                foreach (var item in store.List(t, null, LabelSelector.Everything, null, null, null).Items)
                {
                    store.Delete(t, ObjectStore.Str(item["metadata"]!["namespace"]), ObjectStore.Str(item["metadata"]!["name"])!, null);
                }
            }

            // As kube-apiserver does, a resource that stops being served ends its watches (after its objects'
            // DELETED events); clients re-list and see 404 until the CRD is back.
            store.DropWatches(t => t.Group == group && t.Plural == plural);
        }

        registry.Apply(obj, gone);
        if (!gone && obj["metadata"]?["deletionTimestamp"] is null)
        {
            Establish(obj);
        }
    }

    // The CRD is served as soon as it is stored, so it reports NamesAccepted and Established as the real
    // apiextensions controller does a moment later: `kubectl wait --for condition=established crd/...` works.
    private void Establish(JsonObject crd)
    {
        var name = ObjectStore.Str(crd["metadata"]?["name"])!;
        if ((crd["status"]?["conditions"] as JsonArray)?.Any(c => ObjectStore.Str(c?["type"]) == "Established" && ObjectStore.Str(c?["status"]) == "True") == true)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        JsonObject Condition(string type, string reason, string message) =>
            new() { ["type"] = type, ["status"] = "True", ["lastTransitionTime"] = now, ["reason"] = reason, ["message"] = message };
        var withStatus = (JsonObject)crd.DeepClone();
        withStatus["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(Condition("NamesAccepted", "NoConflicts", "no conflicts found"), Condition("Established", "InitialNamesAccepted", "the initial names have been accepted")),
            ["acceptedNames"] = crd["spec"]?["names"]?.DeepClone(),
            ["storedVersions"] = new JsonArray([.. (crd["spec"]?["versions"] as JsonArray ?? []).Where(v => v?["storage"]?.GetValueKind() == System.Text.Json.JsonValueKind.True).Select(v => (JsonNode?)JsonValue.Create(ObjectStore.Str(v?["name"])))]),
        };
        withStatus["metadata"]!.AsObject().Remove("resourceVersion");
        store.Update(ResourceRegistry.CustomResourceDefinitions, null, name, withStatus, statusSubresource: true);
    }

    private static async Task<JsonObject> BodyAsync(HttpContext http) =>
        await BodyNodeAsync(http).ConfigureAwait(false) as JsonObject ?? throw ApiError.BadRequest("the request body must be a JSON object");

    // kubectl create namespace|configmap|secret send protobuf; everything else arrives as JSON or YAML.
    private static async Task<JsonObject> ObjectBodyAsync(HttpContext http, ResourceType type) =>
        (http.Request.ContentType ?? string.Empty).Contains("protobuf", StringComparison.Ordinal)
            ? Protobuf.Object(await RawBodyAsync(http).ConfigureAwait(false), type)
            : await BodyAsync(http).ConfigureAwait(false);

    /// <summary>The request body as bytes, refused (413) past the API server's limit.</summary>
    private static async Task<byte[]> RawBodyAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                throw new ApiError(413, "RequestEntityTooLarge", $"Request entity too large: limit is {MaxBodyBytes}");
            }
        }

        return buffer.ToArray();
    }

    private static async Task<JsonNode?> BodyNodeAsync(HttpContext http)
    {
        var body = await RawBodyAsync(http).ConfigureAwait(false);
        if ((http.Request.ContentType ?? string.Empty).Contains("protobuf", StringComparison.Ordinal))
        {
            throw new ApiError(415, "UnsupportedMediaType", "the emulator reads protobuf only for Namespaces, ConfigMaps, Secrets and access reviews; other bodies must be JSON or YAML: instead of 'kubectl create <kind>', apply a manifest with 'kubectl apply -f' (which sends JSON)");
        }

        var text = Encoding.UTF8.GetString(body);
        try
        {
            var contentType = http.Request.ContentType ?? string.Empty;
            return contentType.Contains("yaml", StringComparison.Ordinal)
                ? YamlReader.Read(text, "body", ReadLimits.Default).FirstOrDefault()?.Root
                : JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = ReadLimits.Default.MaxDepth });
        }
        catch (Exception e) when (e is JsonException or ManifestException)
        {
            throw ApiError.BadRequest($"the object provided is unrecognized: couldn't parse the request body: {e.Message}");
        }
    }

    // Compared in constant time: the token is the only thing between a local process and every object.
    private static bool Authorized(string header, string token) =>
        header.StartsWith("Bearer ", StringComparison.Ordinal) &&
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..]), Encoding.UTF8.GetBytes(token));

    /// <summary>
    /// A boolean query parameter as kube-apiserver reads one (Go's strconv.ParseBool): the Python client sends
    /// <c>watch=True</c>, kubectl <c>watch=true</c>, others <c>1</c> or <c>t</c>.
    /// </summary>
    internal static bool GoBool(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() is "1" or "t" or "T" or "true" or "TRUE" or "True";

    internal static bool WantsTable(HttpContext http) => http.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private static int? Int(string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;

    /// <summary>Go's encoder writes quotes as \" and leaves non-ASCII alone; clients that compare bodies see the same bytes.</summary>
    /// <remarks>
    /// Bodies are read to 64 levels; lists and watch events wrap an object in two or three more, so writing allows
    /// twice that: an object the server accepted can always be listed and watched.
    /// </remarks>
    internal static readonly JsonSerializerOptions Wire = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 2 * ReadLimits.Default.MaxDepth };

    internal static async Task WriteAsync(HttpContext http, int code, JsonNode body)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(Wire), http.RequestAborted).ConfigureAwait(false);
    }

    internal static string ReasonFor(int code) => Doris.Kubernetes.Models.StatusReasons.For(code);
}
